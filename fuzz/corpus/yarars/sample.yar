// Test YARA rules of the canhgac sample bundle (no real malware)
rule Canhgac_Test_EICAR_Yara
{
  meta:
    description = "EICAR anti-virus test file / tệp kiểm thử EICAR"
  strings:
    $a = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
  condition:
    $a
}
