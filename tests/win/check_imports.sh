#!/bin/sh
# check_imports.sh OBJDUMP EXE: the .exe must import only DLLs that Windows 7 SP1 ships (so nothing
# from mingw, libgcc, winpthreads or a library is needed beside it), no function Windows 7 lacks,
# and must not ask for a newer subsystem than 6.1.
set -eu
objdump=$1 exe=$2
out=$("$objdump" -p "$exe")
fail=0
# DLLs present on every Windows 7 SP1 (lower case).
allowed=" kernel32.dll user32.dll gdi32.dll advapi32.dll shell32.dll ole32.dll oleaut32.dll msvcrt.dll
ws2_32.dll mswsock.dll bcrypt.dll ncrypt.dll crypt32.dll secur32.dll shlwapi.dll iphlpapi.dll ntdll.dll
rpcrt4.dll userenv.dll psapi.dll version.dll wintrust.dll netapi32.dll winhttp.dll wininet.dll
dbghelp.dll comctl32.dll dnsapi.dll wtsapi32.dll setupapi.dll cfgmgr32.dll wevtapi.dll "
dlls=$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
[ -n "$dlls" ] || { echo "check_imports: no import table found in $exe"; exit 1; }
for d in $dlls; do
	case " $(echo $allowed) " in
	*" $d "*) ;;
	*) echo "check_imports: $exe needs $d, which is not a Windows 7 system DLL"; fail=1 ;;
	esac
done
# Functions added after Windows 7 that a static link could pull in.
for f in GetSystemTimePreciseAsFileTime CreateFile2 WaitOnAddress WakeByAddressSingle WakeByAddressAll \
	SetThreadDescription GetThreadDescription CopyFile2 InitializeSynchronizationBarrier \
	PrefetchVirtualMemory DiscardVirtualMemory GetCurrentPackageId BCryptHash \
	SetDefaultDllDirectories AddDllDirectory; do
	if printf '%s\n' "$out" | grep -Eq "^[[:space:]]+[0-9a-f]+[[:space:]]+[0-9]+[[:space:]]+$f\$"; then
		echo "check_imports: $exe imports $f, which Windows 7 lacks"; fail=1
	fi
done
sub=$(printf '%s\n' "$out" | awk '/^MajorSubsystemVersion/ {a=$2} /^MinorSubsystemVersion/ {b=$2} END {print a "." b}')
case "$sub" in
4.* | 5.* | 6.0 | 6.1) ;;
*) echo "check_imports: subsystem version $sub is newer than Windows 7 (6.1)"; fail=1 ;;
esac
[ $fail = 0 ] || exit 1
echo "check_imports: $(basename "$exe") imports only Windows 7 system DLLs:" $dlls "(subsystem $sub)"
