/* help.c - help texts of every command, in Vietnamese and English (docs/cli.md mirrors them). */
#include <string.h>

#include "cli.h"
#include "banned.h"

struct help {
	const char *name;
	const char *vi, *en;
};

#define COMMON_VI                                                                                                   \
	"Tùy chọn chung:\n"                                                                                      \
	"  --data-dir DIR       thư mục trạng thái (mặc định /var/lib/canhgac khi chạy bằng "        \
	"root,\n"                                                                                                   \
	"                       ngược lại ~/.local/share/canhgac; hoặc biến CANHGAC_DATA_DIR)\n"           \
	"  --portable           giữ dữ liệu cạnh chương trình (thư mục canhgac-data, ví dụ trên " \
	"USB)\n"                                                                                                    \
	"  --bundle DIR         bộ mẫu nhận diện (mặc định $CANHGAC_BUNDLE hoặc "                    \
	"DATA_DIR/bundle)\n"                                                                                        \
	"  --trust-key FILE     khóa công khai Ed25519 được phép ký bộ mẫu (lặp lại được)\n"    \
	"  --allow-partial      vẫn dùng bộ mẫu có dòng bị loại\n"                                     \
	"  --json               xuất JSON (docs/events.md)\n"                                                     \
	"  --lang vi|en         ngôn ngữ thông báo (mặc định tiếng Việt; hoặc CANHGAC_LANG)\n"      \
	"  --quiet              chỉ in kết quả\n"                                                             \
	"  --help               trợ giúp của lệnh\n"
#define COMMON_EN                                                                                  \
	"Common options:\n"                                                                        \
	"  --data-dir DIR       state directory (default /var/lib/canhgac as root, else\n"         \
	"                       ~/.local/share/canhgac; or CANHGAC_DATA_DIR)\n"                    \
	"  --portable           keep the state beside the program (canhgac-data, e.g. on a "       \
	"stick)\n"                                                                                 \
	"  --bundle DIR         signature bundle (default $CANHGAC_BUNDLE or DATA_DIR/bundle)\n"   \
	"  --trust-key FILE     Ed25519 public key allowed to sign bundles (repeatable)\n"         \
	"  --allow-partial      use a bundle even when some lines were rejected\n"                 \
	"  --json               JSON output (docs/events.md)\n"                                    \
	"  --lang vi|en         message language (Vietnamese by default; or CANHGAC_LANG)\n"       \
	"  --quiet              print results only\n"                                              \
	"  --help               help for the command\n"

static const struct help helps[] = {
    {NULL,
     "canhgac - nền tảng an toàn thông tin cho ngành giáo dục\n\n"
     "Cách dùng: canhgac LỆNH [TÙY CHỌN]...\n\n"
     "Các lệnh:\n"
     "  scan PATH...         quét mã độc trong tệp và thư mục\n"
     "  scan history         các lần quét trước\n"
     "  quarantine ...       khu cách ly: add, list, show, restore, delete\n"
     "  bundle ...           bộ mẫu nhận diện: import, info\n"
     "  vercmp A OP B        so sánh phiên bản như dpkg --compare-versions (dpkg, rpm, semver...)\n"
     "  vulns                gói đã cài bị ảnh hưởng bởi cảnh báo lỗ hổng\n"
     "  feed ...             nguồn tin mối đe dọa: import, list, show, remove\n"
     "  match ips [LOG...]   tìm dòng nhật ký có địa chỉ IP thuộc danh sách\n"
     "  usb-clean Ổ_USB      gỡ sâu lối tắt khỏi USB, bỏ ẩn tệp bị giấu\n"
     "  inventory            kiểm kê máy Windows: bản dựng, KB, chương trình, bảo mật\n"
     "  report ...           tệp kết quả của từng máy (collect), báo cáo đơn vị (merge)\n"
     "  fim ...              toàn vẹn tệp, web shell: baseline, check, show, list\n"
     "  help [LỆNH]          trợ giúp\n\n"
     "  --version            phiên bản\n\n" COMMON_VI
     "\nMã thoát của từng lệnh: xem docs/cli.md hoặc canhgac help LỆNH.\n",
     "canhgac - a security platform for education authorities\n\n"
     "Usage: canhgac COMMAND [OPTIONS]...\n\n"
     "Commands:\n"
     "  scan PATH...         scan files and folders for malware\n"
     "  scan history         earlier scans\n"
     "  quarantine ...       the quarantine store: add, list, show, restore, delete\n"
     "  bundle ...           signature bundles: import, info\n"
     "  vercmp A OP B        compare versions like dpkg --compare-versions (dpkg, rpm, semver...)\n"
     "  vulns                installed packages affected by vulnerability warnings\n"
     "  feed ...             threat feeds: import, list, show, remove\n"
     "  match ips [LOG...]   find log lines with an IP address in a list\n"
     "  usb-clean DRIVE      take a shortcut worm off a USB stick, unhide hidden files\n"
     "  inventory            inventory of a Windows PC: build, KBs, programs, security\n"
     "  report ...           one result file per PC (collect), the unit's report (merge)\n"
     "  fim ...              file integrity, web shells: baseline, check, show, list\n"
     "  help [COMMAND]       help\n\n"
     "  --version            version\n\n" COMMON_EN
     "\nExit codes of each command: see docs/cli.md or canhgac help COMMAND.\n"},
    {"scan",
     "Cách dùng: canhgac scan [TÙY CHỌN] PATH...\n"
     "           canhgac scan history [--limit N] [--json]\n"
     "           canhgac scan show RUN_ID [--json]\n\n"
     "Quét tệp và thư mục bằng bộ mẫu (mẫu băm, mẫu thân .ndb, luật YARA).\n\n"
     "  --archives           quét cả bên trong zip, tar, gz, bz2, xz, 7z\n"
     "  --quarantine         đưa tệp nhiễm vào khu cách ly sau khi quét\n"
     "  --force              cách ly cả tệp thuộc gói cài đặt còn khớp md5sums của dpkg\n"
     "  --mass-limit N       dừng cách ly tự động khi quá N tệp thực thi bị phát hiện\n"
     "                       (mặc định 20; khi đó nên cài lại máy)\n"
     "  --full               bỏ qua bộ đệm quét, đọc lại mọi tệp\n"
     "  --exclude GLOB       bỏ qua đường dẫn hoặc tên khớp GLOB (lặp lại được)\n"
     "  --max-filesize SIZE  bỏ qua tệp lớn hơn (ví dụ 100M; mặc định 2G)\n"
     "  --one-file-system    không sang hệ thống tệp khác\n"
     "  --follow-symlinks    đi theo liên kết tượng trưng (mặc định: không)\n"
     "  --threads N          số luồng quét (mặc định: số CPU)\n"
     "  --engine E           bộ so khớp mẫu thân: auto, hyperscan, portable\n"
     "  --no-progress        không hiện dòng tiến độ\n"
     "  --limit N            (history) số lần quét hiển thị, mặc định 20\n\n" COMMON_VI
     "\nMã thoát: 0 không phát hiện, 1 có phát hiện, 2 có lỗi (như clamscan).\n",
     "Usage: canhgac scan [OPTIONS] PATH...\n"
     "       canhgac scan history [--limit N] [--json]\n"
     "       canhgac scan show RUN_ID [--json]\n\n"
     "Scan files and folders with a signature bundle (hash, .ndb body and YARA signatures).\n\n"
     "  --archives           also scan inside zip, tar, gz, bz2, xz, 7z\n"
     "  --quarantine         move infected files into quarantine after the scan\n"
     "  --force              quarantine even packaged files that match dpkg's md5sums\n"
     "  --mass-limit N       stop automatic quarantine when more than N executables match\n"
     "                       (default 20; the host should then be reimaged)\n"
     "  --full               ignore the scan cache and read every file\n"
     "  --exclude GLOB       skip paths or names matching GLOB (repeatable)\n"
     "  --max-filesize SIZE  skip larger files (e.g. 100M; default 2G)\n"
     "  --one-file-system    stay on the file system of each PATH\n"
     "  --follow-symlinks    follow symbolic links (never by default)\n"
     "  --threads N          scanning threads (default: number of CPUs)\n"
     "  --engine E           body-signature matcher: auto, hyperscan, portable\n"
     "  --no-progress        no progress line\n"
     "  --limit N            (history) runs to show, default 20\n\n" COMMON_EN
     "\nExit status: 0 nothing found, 1 something found, 2 error (as clamscan).\n"},
    {"quarantine",
     "Cách dùng: canhgac quarantine add PATH... [--force] [--reason TEXT]\n"
     "           canhgac quarantine list [--json]\n"
     "           canhgac quarantine show ID [--json]\n"
     "           canhgac quarantine restore ID [--to PATH] [--force]\n"
     "           canhgac quarantine delete ID\n\n"
     "Khu cách ly (DATA_DIR/quarantine): tệp được mã hóa, không chạy được, giữ nguyên\n"
     "đường dẫn, chủ sở hữu, quyền, thời gian và mã băm. Khôi phục trả lại đúng từng byte,\n"
     "không bao giờ ghi đè tệp có sẵn; bit setuid/setgid chỉ được trả lại với --force.\n"
     "Mọi thao tác được ghi vào nhật ký DATA_DIR/actions.log.\n\n" COMMON_VI
     "\nMã thoát: 0 thành công, 2 lỗi.\n",
     "Usage: canhgac quarantine add PATH... [--force] [--reason TEXT]\n"
     "       canhgac quarantine list [--json]\n"
     "       canhgac quarantine show ID [--json]\n"
     "       canhgac quarantine restore ID [--to PATH] [--force]\n"
     "       canhgac quarantine delete ID\n\n"
     "The quarantine store (DATA_DIR/quarantine): files are kept encrypted and cannot run;\n"
     "their path, owner, mode, times and digests are kept. Restore gives back identical bytes,\n"
     "never overwrites an existing file, and restores setuid/setgid bits only with --force.\n"
     "Every action is written to the log DATA_DIR/actions.log.\n\n" COMMON_EN
     "\nExit status: 0 success, 2 error.\n"},
    {"bundle",
     "Cách dùng: canhgac bundle import SOURCE... --out DIR [--name NAME] [--version V]\n"
     "           canhgac bundle info [DIR] [--json]\n\n"
     "import: tạo bộ mẫu từ tệp .cvd/.cld của ClamAV, .hdb/.hsb/.ndb, CSV của MalwareBazaar,\n"
     "        danh sách mã băm hoặc luật YARA; báo cáo những gì bị bỏ qua theo loại.\n"
     "info:   kiểm tra và hiển thị phiên bản, số lượng mẫu của bộ mẫu.\n\n" COMMON_VI
     "\nMã thoát: 0 thành công, 2 lỗi.\n",
     "Usage: canhgac bundle import SOURCE... --out DIR [--name NAME] [--version V]\n"
     "       canhgac bundle info [DIR] [--json]\n\n"
     "import: build a bundle from ClamAV .cvd/.cld files, .hdb/.hsb/.ndb files, MalwareBazaar\n"
     "        CSV exports, hash lists or YARA rules; reports what was skipped, by type.\n"
     "info:   verify a bundle and show its version and signature counts.\n\n" COMMON_EN
     "\nExit status: 0 success, 2 error.\n"},
    {"vercmp",
     "Cách dùng: canhgac vercmp [--scheme S] A OP B\n"
     "           canhgac vercmp [--scheme S] --batch [FILE...]\n\n"
     "So sánh hai phiên bản đúng như công cụ của hệ sinh thái; trả lời bằng mã thoát như\n"
     "dpkg --compare-versions.\n\n"
     "  --scheme S   dpkg (mặc định), rpm, semver, windows, apk\n"
     "  OP           lt le eq ne ge gt; lt-nl le-nl ge-nl gt-nl (phiên bản rỗng đứng sau);\n"
     "               << <= = >= >> (và < > cũ, nghĩa là <= >=)\n"
     "  --batch      đọc các dòng \"A<TAB>B\" (cột thứ ba trở đi bị bỏ qua) từ FILE hoặc\n"
     "               stdin, in '<', '=' hoặc '>' cho mỗi dòng; dòng lỗi in '!' và báo ở stderr\n"
     "  --quiet      không in cảnh báo\n\n"
     "Phiên bản rỗng (và '<unknown>' với dpkg) nghĩa là \"không có phiên bản\".\n"
     "\nMã thoát: 0 đúng, 1 sai, 2 lỗi (phiên bản sai cú pháp); --batch: 0, hoặc 2 nếu có\n"
     "dòng lỗi.\n",
     "Usage: canhgac vercmp [--scheme S] A OP B\n"
     "       canhgac vercmp [--scheme S] --batch [FILE...]\n\n"
     "Compares two versions exactly as the ecosystem's own tool does; answers by exit status\n"
     "like dpkg --compare-versions.\n\n"
     "  --scheme S   dpkg (default), rpm, semver, windows, apk\n"
     "  OP           lt le eq ne ge gt; lt-nl le-nl ge-nl gt-nl (an empty version sorts last);\n"
     "               << <= = >= >> (and the obsolete < >, meaning <= >=)\n"
     "  --batch      reads \"A<TAB>B\" lines (further columns are ignored) from FILE or stdin,\n"
     "               prints '<', '=' or '>' per line; a bad line prints '!' and is reported on\n"
     "               stderr\n"
     "  --quiet      no warnings\n\n"
     "An empty version (and '<unknown>' for dpkg) means \"no version\".\n"
     "\nExit status: 0 true, 1 false, 2 error (bad version syntax); --batch: 0, or 2 when a\n"
     "line was bad.\n"},
    {"vulns",
     "Cách dùng: canhgac vulns [--json] [--dpkg-status FILE] [--os-release FILE]\n"
     "                        [--ecosystem ECO] [--advisory FILE]...\n"
     "           canhgac vulns --windows-inventory FILE [--advisory FILE]... [--date NGÀY]\n\n"
     "Đối chiếu các gói đã cài (trạng thái dpkg) với cảnh báo lỗ hổng (OSV) và giải thích\n"
     "từng phát hiện: cảnh báo, phiên bản đã cài, phiên bản đã vá và phép so sánh. Gói nhị\n"
     "phân của Debian/Ubuntu được quy về gói nguồn, vì cảnh báo nêu gói nguồn.\n\n"
     "  --dpkg-status FILE  thay cho /var/lib/dpkg/status\n"
     "  --os-release FILE   thay cho /etc/os-release (xác định hệ, ví dụ Debian:12)\n"
     "  --ecosystem ECO     chỉ định hệ sinh thái OSV của máy (ví dụ Debian:12)\n"
     "  --advisory FILE     tệp OSV JSON (lặp lại được); mặc định: các cảnh báo đã nhập\n"
     "                      (canhgac feed import --kind advisory)\n"
     "  --rpm-qa FILE       kết quả 'rpm -qa --qf ...' đã lưu (docs/cli.md); trên máy có\n"
     "                      cơ sở dữ liệu rpm, chương trình rpm được gọi trực tiếp\n"
     "  --windows-inventory FILE\n"
     "                      bản kiểm kê một máy Windows (JSON, docs/feeds.md): đối chiếu bản\n"
     "                      dựng và các KB đã cài với bản cập nhật bảo mật của Microsoft\n"
     "                      (CVRF/CSAF, thư cảnh báo, KEV) và cho biết thời hạn hỗ trợ\n"
     "  --date NGÀY         ngày dùng để xét thời hạn hỗ trợ (mặc định hôm nay)\n\n" COMMON_VI
     "\nMã thoát: 0 không có gói bị ảnh hưởng, 1 có (Windows: hoặc đã hết hỗ trợ), 2 lỗi.\n",
     "Usage: canhgac vulns [--json] [--dpkg-status FILE] [--os-release FILE]\n"
     "                     [--ecosystem ECO] [--advisory FILE]...\n"
     "       canhgac vulns --windows-inventory FILE [--advisory FILE]... [--date DATE]\n\n"
     "Checks the installed packages (dpkg status) against vulnerability warnings (OSV) and\n"
     "explains each finding: the warning, the installed version, the fixed version and the\n"
     "comparison. Debian/Ubuntu binary packages are mapped to their source package, since\n"
     "advisories name source packages.\n\n"
     "  --dpkg-status FILE  instead of /var/lib/dpkg/status\n"
     "  --os-release FILE   instead of /etc/os-release (gives the host, e.g. Debian:12)\n"
     "  --ecosystem ECO     the host's OSV ecosystem (e.g. Debian:12)\n"
     "  --advisory FILE     an OSV JSON file (repeatable); default: the imported advisories\n"
     "                      (canhgac feed import --kind advisory)\n"
     "  --rpm-qa FILE       saved 'rpm -qa --qf ...' output (docs/cli.md); on a host with an\n"
     "                      rpm database the rpm program is run directly\n"
     "  --windows-inventory FILE\n"
     "                      a Windows PC's inventory (JSON, docs/feeds.md): its build and\n"
     "                      installed KBs against Microsoft's security updates (CVRF/CSAF,\n"
     "                      letters, KEV), and its end of support\n"
     "  --date DATE         the day support status is judged on (default today)\n\n" COMMON_EN
     "\nExit status: 0 nothing affected, 1 affected packages found (Windows: or out of\n"
     "support), 2 error.\n"},
    {"feed",
     "Cách dùng: canhgac feed import TỆP... --kind botnet|ioc|advisory [--list TÊN]\n"
     "             [--columns MAP] [--format F] [--strict] [--received DD/MM/YYYY] [--json]\n"
     "           canhgac feed list [--all] [--json]\n"
     "           canhgac feed show ID|DANH_SÁCH [--entries [--limit N]] [--json]\n"
     "           canhgac feed remove ID\n"
     "           canhgac feed split DANH_SÁCH --units TỆP --out THƯ_MỤC [--deadline NGÀY]\n"
     "                              [--reply-to AI]\n"
     "           canhgac feed merge-replies THƯ_MỤC --units TỆP --out TỆP.xlsx [--csv TỆP.csv]\n"
     "                                      [--feed DANH_SÁCH]\n\n"
     "import: nhập danh sách IP botnet, chỉ dấu (IOC) hoặc cảnh báo lỗ hổng vào\n"
     "        DATA_DIR/feeds.db. Hiện định dạng nhận ra, cách đoán cột, số dòng và\n"
     "        từng dòng lỗi dạng tệp:dòng: lý do. Nhập lại cùng nội dung không đổi gì;\n"
     "        lần nhập mới của cùng danh sách thay thế lần trước (cả hai được lưu).\n"
     "  --kind K             botnet, ioc hoặc advisory (bắt buộc)\n"
     "  --list TÊN           tên danh sách (mặc định: tên tệp bỏ phần mở rộng)\n"
     "  --columns MAP        sửa cách đoán cột, ví dụ ip=2,time=3,family=D\n"
     "  --format F           auto, table, paste, plain, stix, misp, kev, osv, cvrf, csaf (mặc định "
     "auto)\n"
     "  --strict             có dòng lỗi thì không nhập gì từ tệp đó\n"
     "  --received NGÀY      ngày nhận văn bản (dd/mm/yyyy; mặc định hôm nay)\n"
     "list:   các nguồn tin hiện hành; --all gồm cả nguồn tin đã bị thay thế.\n"
     "show:   chi tiết một nguồn tin (theo mã số hoặc tên danh sách); --entries liệt kê\n"
     "        các mục, --limit N tối đa N mục.\n"
     "remove: xóa một nguồn tin; nếu nó đang hiện hành, lần nhập trước của danh sách\n"
     "        trở lại hiện hành.\n"
     "split:  chia danh sách botnet theo đơn vị (tệp đơn vị, docs/units.md): mỗi đơn vị một\n"
     "        tệp MÃ_ĐƠN_VỊ.xlsx gồm các dòng của đơn vị, thiết bị có thể bị nhiễm, việc cần\n"
     "        làm, các cột trả lời (đã xử lý, biện pháp, số máy đã xử lý, tổng số máy, ghi\n"
     "        chú) và trang hướng dẫn; --deadline và --reply-to ghi vào hướng dẫn.\n"
     "merge-replies: đọc các tệp trả lời trong THƯ_MỤC (chấp nhận bố cục đã sửa), ghi báo\n"
     "        cáo tổng hợp của Sở: theo đơn vị (số máy đã xử lý / tổng số máy, biện pháp),\n"
     "        theo cấp trên, mọi dòng, đơn vị chưa trả lời, dòng chưa xử lý; --csv ghi thêm\n"
     "        các tệp CSV UTF-8 có BOM.\n\n" COMMON_VI
     "\nMã thoát (import): 0 đã nhập hết, không dòng lỗi (hoặc đã nhập từ trước), 1 đã nhập\n"
     "nhưng có dòng lỗi, 2 lỗi hoặc không nhập gì. Các lệnh khác: 0 thành công, 2 lỗi.\n",
     "Usage: canhgac feed import FILE... --kind botnet|ioc|advisory [--list NAME]\n"
     "         [--columns MAP] [--format F] [--strict] [--received DD/MM/YYYY] [--json]\n"
     "       canhgac feed list [--all] [--json]\n"
     "       canhgac feed show ID|LIST [--entries [--limit N]] [--json]\n"
     "       canhgac feed remove ID\n"
     "       canhgac feed split LIST --units FILE --out DIR [--deadline DATE] [--reply-to WHO]\n"
     "       canhgac feed merge-replies DIR --units FILE --out FILE.xlsx [--csv FILE.csv]\n"
     "                                  [--feed LIST]\n\n"
     "import: import botnet IP lists, indicators (IOC) or vulnerability warnings into\n"
     "        DATA_DIR/feeds.db. Shows the format understood, the column guess, row counts\n"
     "        and every bad row as file:line: reason. Importing the same content again\n"
     "        changes nothing; a new import of a list supersedes the previous one (both\n"
     "        stay on record).\n"
     "  --kind K             botnet, ioc or advisory (required)\n"
     "  --list NAME          list name (default: the file name without its extension)\n"
     "  --columns MAP        correct the column guess, e.g. ip=2,time=3,family=D\n"
     "  --format F           auto, table, paste, plain, stix, misp, kev, osv, cvrf, csaf (default "
     "auto)\n"
     "  --strict             import nothing from a file that has a bad row\n"
     "  --received DATE      date the list was received (dd/mm/yyyy; default today)\n"
     "list:   current feeds; --all includes superseded ones.\n"
     "show:   one feed (by id or list name); --entries lists its entries, --limit N at\n"
     "        most N of them.\n"
     "remove: remove one feed; when it was current, the list's previous import becomes\n"
     "        current again.\n"
     "split:  split a botnet list by unit (units file, docs/units.md): one CODE.xlsx per\n"
     "        unit with its rows, the likely device, what to do, reply columns (handled,\n"
     "        action, machines handled, total machines, notes) and an instructions sheet;\n"
     "        --deadline and --reply-to go into the instructions.\n"
     "merge-replies: read the replies in DIR (edited layouts tolerated) and write the\n"
     "        Department's consolidated report: per unit (machines handled / total, actions),\n"
     "        per parent, every row, units that have not replied, rows still unhandled;\n"
     "        --csv also writes UTF-8 CSV files with a BOM.\n\n" COMMON_EN
     "\nExit status (import): 0 all imported with no bad row (or already imported), 1\n"
     "imported but some rows were bad, 2 error or nothing imported. Other subcommands: 0\n"
     "success, 2 error.\n"},
    {"match",
     "Cách dùng: canhgac match ips [LOG...] [--list-file TỆP]... [--list TÊN] [--count]\n"
     "                             [--summary [--units TỆP]] [--lines] [--json] [--threads N]\n"
     "           canhgac match units --units TỆP [--list TÊN] [--json]\n\n"
     "units: danh sách ưu tiên của điểm (d): với mỗi dòng của các danh sách botnet đã nhập,\n"
     "đơn vị giữ địa chỉ đó vào thời điểm bị liệt kê (theo địa chỉ và thời hạn trong tệp đơn\n"
     "vị); nhóm theo đơn vị, nhiều dòng nhất trước. Mã thoát: 0 có đơn vị, 1 không, 2 lỗi.\n\n"
     "ips: "
     "In mọi dòng nhật ký (hoặc đầu vào chuẩn khi không có LOG; '-' là đầu vào chuẩn) có\n"
     "địa chỉ IPv4/IPv6 thuộc một danh sách, ở bất kỳ vị trí nào trong dòng: nhật ký\n"
     "iptables/nftables, MikroTik, FortiGate, pfSense, Cisco ASA, bind/dnsmasq/unbound, Squid,\n"
     "Zeek, NetFlow CSV, tcpdump và văn bản bất kỳ; IPv6 dạng rút gọn hay đầy đủ. Mỗi dòng\n"
     "khớp được in kèm số dòng, rồi từng địa chỉ với mục của danh sách và họ mã độc.\n\n"
     "  --list-file TỆP      danh sách thuần (mỗi dòng một IP, CIDR, dải a-b hoặc IP:cổng;\n"
     "                       chú thích '#'; FireHOL .ipset/.netset, ipsum), đọc trực tiếp,\n"
     "                       không cần cơ sở dữ liệu (lặp lại được)\n"
     "  --list TÊN           chỉ dùng danh sách đã nhập có tên này (lặp lại được)\n"
     "  --count              chỉ in số dòng khớp\n"
     "  --summary            tóm tắt theo địa chỉ và theo danh sách\n"
     "  --units TỆP          (cùng --summary) đếm cả theo đơn vị: đơn vị giữ địa chỉ vào lúc\n"
     "                       ghi dòng (giờ đọc từ dòng: ISO 8601, syslog, FortiGate...; giờ\n"
     "                       Việt Nam khi không ghi múi giờ; không đọc được thì lấy lúc chạy)\n"
     "  --lines              chỉ in nguyên các dòng khớp (như grepcidr)\n"
     "  --json               mỗi lần khớp một bản ghi match.ip (docs/events.md)\n"
     "  --threads N          số luồng quét (mặc định: số CPU)\n\n"
     "Dòng dài quá 1 MiB chỉ được quét và in trong 1 MiB đầu.\n\n" COMMON_VI
     "\nMã thoát (như grep): 0 có dòng khớp, 1 không có, 2 lỗi.\n",
     "Usage: canhgac match ips [LOG...] [--list-file FILE]... [--list NAME] [--count]\n"
     "                         [--summary [--units FILE]] [--lines] [--json] [--threads N]\n"
     "       canhgac match units --units FILE [--list NAME] [--json]\n\n"
     "units: the priority list of point (d): for every row of the imported botnet lists, the\n"
     "unit that held the address when it was listed (by the addresses and validity periods of\n"
     "the units file); grouped by unit, most rows first. Exit: 0 some unit, 1 none, 2 error.\n\n"
     "ips: "
     "Print every log line (standard input when no LOG is given; '-' is standard input)\n"
     "holding an IPv4/IPv6 address that is in a list, wherever it stands in the line:\n"
     "iptables/nftables, MikroTik, FortiGate, pfSense, Cisco ASA, bind/dnsmasq/unbound, Squid,\n"
     "Zeek, NetFlow CSV and tcpdump logs and any other text; IPv6 compressed or expanded. Each\n"
     "matching line is printed with its number, then each address with its list entry and\n"
     "family.\n\n"
     "  --list-file FILE     a plain list (one IP, CIDR, range a-b or IP:port per line; '#'\n"
     "                       comments; FireHOL .ipset/.netset, ipsum), read directly without\n"
     "                       any database (repeatable)\n"
     "  --list NAME          use only the imported list of this name (repeatable)\n"
     "  --count              print only the number of matching lines\n"
     "  --summary            a summary per address and per list\n"
     "  --units FILE         (with --summary) count per unit too: the unit holding the\n"
     "                       address when the line was written (time read from the line:\n"
     "                       ISO 8601, syslog, FortiGate...; Vietnam time when no zone is\n"
     "                       written; the time of the run when none can be read)\n"
     "  --lines              print only the matching lines as they are (like grepcidr)\n"
     "  --json               one match.ip record per match (docs/events.md)\n"
     "  --threads N          scanning threads (default: number of CPUs)\n\n"
     "Lines longer than 1 MiB are scanned and shown only in their first 1 MiB.\n\n" COMMON_EN
     "\nExit status (as grep): 0 some line matched, 1 none, 2 error.\n"},
    {"usb-clean",
     "Cách dùng: canhgac usb-clean [--dry-run] [--json] Ổ_USB\n\n"
     "Gỡ sâu lối tắt (shortcut worm) khỏi USB: đọc mọi lối tắt .lnk ở gốc USB và một cấp\n"
     "thư mục bên dưới; cách ly lối tắt của sâu (chạy cmd.exe, wscript.exe, rundll32.exe...\n"
     "hoặc tệp trên USB; hay mang tên thư mục bị giấu), tệp mà chúng chạy, autorun.inf và\n"
     "tệp chạy được bị ẩn ở gốc; bỏ ẩn (Hidden, System) tệp và thư mục của người dùng mà sâu\n"
     "đã giấu. Không xoá gì: mọi tệp lấy ra đều khôi phục được (canhgac quarantine).\n"
     "Ổ_USB: E:\\ trên Windows, hoặc thư mục gắn USB (/media/...) trên Linux.\n\n"
     "  --dry-run    chỉ liệt kê việc sẽ làm\n"
     "  --json       mỗi việc một đối tượng JSON (path, action, reason, quarantine_id, "
     "error)\n\n" COMMON_VI
     "\nMã thoát (như scan): 0 không có sâu, 1 có sâu (đã xử lý, hoặc --dry-run), 2 lỗi.\n",
     "Usage: canhgac usb-clean [--dry-run] [--json] DRIVE\n\n"
     "Takes a shortcut worm off a USB stick: reads every .lnk shortcut at the stick's root and\n"
     "one folder level below; quarantines the worm's shortcuts (starting cmd.exe, wscript.exe,\n"
     "rundll32.exe... or a file on the stick, or named like a hidden folder), the files they\n"
     "run, autorun.inf and hidden executables at the root; unhides (Hidden, System) the user's\n"
     "files and folders the worm hid. Nothing is deleted: every file taken can be restored\n"
     "(canhgac quarantine).\n"
     "DRIVE: E:\\ on Windows, or the folder the stick is mounted on (/media/...) on Linux.\n\n"
     "  --dry-run    only list what would be done\n"
     "  --json       one JSON object per action (path, action, reason, quarantine_id, "
     "error)\n\n" COMMON_EN
     "\nExit status (as scan): 0 no worm, 1 worm found (handled, or --dry-run), 2 error.\n"},
    {"inventory",
     "Cách dùng: canhgac inventory [--json] [--out TỆP] [--date NGÀY]\n"
     "           canhgac inventory --from TỆP.json\n\n"
     "Kiểm kê máy Windows này (chỉ chạy trên Windows): phiên bản, bản dựng và UBR, tình trạng\n"
     "hỗ trợ (bảng data/windows-releases.csv), bản cập nhật KB đã cài, chương trình đã cài\n"
     "(cả nhánh 64-bit và 32-bit của registry), tường lửa, SMBv1, Remote Desktop, phần mềm\n"
     "diệt virus, quản trị viên máy, mục tự khởi động (Run, dịch vụ, tác vụ hẹn giờ, thư mục\n"
     "Startup) và địa chỉ mạng.\n\n"
     "  --json        in bản kiểm kê dạng JSON (canhgac.wininv/1, docs/cli.md)\n"
     "  --out TỆP     lưu JSON vào TỆP (ghi an toàn) cho canhgac vulns --windows-inventory\n"
     "  --from TỆP    tóm tắt một bản kiểm kê đã lưu (chạy được trên mọi hệ)\n"
     "  --date NGÀY   xét tình trạng hỗ trợ vào NGÀY (YYYY-MM-DD) thay vì hôm nay\n\n" COMMON_VI
     "\nMã thoát: 0 xong, 2 lỗi (kể cả khi chạy trên hệ không phải Windows).\n",
     "Usage: canhgac inventory [--json] [--out FILE] [--date DATE]\n"
     "       canhgac inventory --from FILE.json\n\n"
     "Takes the inventory of this Windows PC (Windows only): version, build and UBR, support\n"
     "status (the table data/windows-releases.csv), installed updates (KB), installed programs\n"
     "(both the 64-bit and 32-bit registry views), firewall, SMBv1, Remote Desktop, antivirus,\n"
     "local administrators, auto-start entries (Run keys, services, scheduled tasks, Startup\n"
     "folders) and network addresses.\n\n"
     "  --json        print the inventory as JSON (canhgac.wininv/1, docs/cli.md)\n"
     "  --out FILE    save the JSON to FILE (atomically) for canhgac vulns --windows-inventory\n"
     "  --from FILE   summarise a saved inventory (runs on any system)\n"
     "  --date DATE   judge the support status on DATE (YYYY-MM-DD) instead of today\n\n" COMMON_EN
     "\nExit status: 0 done, 2 error (also when run on a system other than Windows).\n"},
    {"report",
     "Cách dùng: canhgac report collect --unit MÃ --out THƯ_MỤC [--portable] [--matches TỆP]\n"
     "           canhgac report merge THƯ_MỤC --units TỆP --out BÁO_CÁO.xlsx [--unit MÃ]\n\n"
     "collect: sau khi quét (canhgac scan) trên mỗi máy, ghi một tệp kết quả\n"
     "THƯ_MỤC/<MÃ>_<TÊN MÁY>_<YYYYMMDD>.json (docs/results.md): thông tin máy, lần quét gần\n"
     "nhất và mã độc đã cách ly, kiểm kê Windows, bản vá còn thiếu theo cảnh báo, tình trạng\n"
     "hỗ trợ, địa chỉ thuộc danh sách botnet đã thấy. Thường ghi ra USB.\n"
     "  --unit MÃ        mã đơn vị (như trong tệp đơn vị)\n"
     "  --out THƯ_MỤC    thư mục ghi tệp kết quả (tạo nếu chưa có)\n"
     "  --matches TỆP    kết quả 'canhgac match ips --json' (địa chỉ botnet đã thấy)\n"
     "  --advisory TỆP   tệp cảnh báo (lặp lại được; mặc định: cảnh báo trong kho nguồn tin)\n"
     "  --windows-inventory TỆP  dùng bản kiểm kê đã lưu của một máy Windows thay vì máy này\n"
     "  --date NGÀY      ngày ghi vào tệp và ngày xét hỗ trợ (YYYY-MM-DD)\n\n"
     "merge: đọc mọi tệp .json trong THƯ_MỤC (liệt kê tệp không đọc được kèm lý do), lấy tệp\n"
     "mới nhất của mỗi máy, ghi báo cáo của đơn vị: số máy đã kiểm tra / số máy khai báo (cột\n"
     "'Số máy' của tệp đơn vị), mã độc và cách ly theo máy, bản vá thiếu theo cảnh báo, máy\n"
     "hết hỗ trợ, địa chỉ botnet (sheet đọc được bằng feed merge-replies), việc cần làm.\n"
     "  --units TỆP      tệp đơn vị (docs/units.md)\n"
     "  --unit MÃ        chỉ đơn vị này (mặc định: đơn vị của tệp đầu tiên)\n"
     "  --out TỆP.xlsx   báo cáo (ghi an toàn)\n"
     "  --pdf TỆP.pdf    thêm bản PDF (bản Linux có cairo, pango)\n\n" COMMON_VI
     "\nMã thoát: 0 xong, 2 lỗi.\n",
     "Usage: canhgac report collect --unit CODE --out DIR [--portable] [--matches FILE]\n"
     "       canhgac report merge DIR --units FILE --out REPORT.xlsx [--unit CODE]\n\n"
     "collect: after a scan (canhgac scan) on each PC, writes one result file\n"
     "DIR/<CODE>_<HOST>_<YYYYMMDD>.json (docs/results.md): host facts, the last scan and what\n"
     "was quarantined, the Windows inventory, missing updates per warning, end of support,\n"
     "botnet-listed addresses seen. Usually written to the USB stick.\n"
     "  --unit CODE      the unit's code (as in the units file)\n"
     "  --out DIR        folder for the result file (created when missing)\n"
     "  --matches FILE   output of 'canhgac match ips --json' (botnet-listed addresses seen)\n"
     "  --advisory FILE  advisory file (repeatable; default: the feed store's advisories)\n"
     "  --windows-inventory FILE  a saved inventory of a Windows PC instead of this PC\n"
     "  --date DATE      the file's date and the day support is judged on (YYYY-MM-DD)\n\n"
     "merge: reads every .json file of DIR (lists unreadable ones with the reason), keeps the\n"
     "newest file of each PC, and writes the unit's report: PCs checked / declared (the units\n"
     "file's 'Số máy' column), malware and quarantine by PC, missing updates per warning, PCs\n"
     "past end of support, botnet-listed addresses (a sheet feed merge-replies reads), to do.\n"
     "  --units FILE     the units file (docs/units.md)\n"
     "  --unit CODE      only this unit (default: the unit of the first file)\n"
     "  --out FILE.xlsx  the report (written atomically)\n"
     "  --pdf FILE.pdf   also as PDF (Linux builds with cairo, pango)\n\n" COMMON_EN
     "\nExit status: 0 done, 2 error.\n"},
    {"fim",
     "Cách dùng: canhgac fim baseline ĐƯỜNG_DẪN... [--name TÊN] [--update] [--webroot]\n"
     "                                [--exclude MẪU]...\n"
     "           canhgac fim check [ĐƯỜNG_DẪN...] [--name TÊN] [--update] [--json]\n"
     "           canhgac fim show [--name TÊN] [--json]\n"
     "           canhgac fim list [--json]\n\n"
     "baseline: ghi bản gốc (mã SHA-256, kích thước, thời gian, quyền, chủ, nhóm, đích liên\n"
     "kết) của mọi tệp và thư mục dưới ĐƯỜNG_DẪN vào DATA_DIR/fim.db; báo luôn tệp có\n"
     "dấu hiệu web shell.\n"
     "check: so sánh với bản gốc: tệp mới, bị sửa, bị xóa, đổi quyền/chủ/nhóm, tệp thành liên\n"
     "kết; tệp kịch bản mới (.php .jsp .aspx ..., cả đuôi kép x.php.jpg) trong thư mục web và\n"
     "tệp chứa dấu hiệu web shell. Tệp không đổi (thiết bị, inode, kích thước, mtime, ctime) thì\n"
     "không đọc lại.\n"
     "  --name TÊN    tên bản gốc (mặc định: default)\n"
     "  --update      baseline: thay bản gốc đã có; check: ghi trạng thái hiện tại làm bản gốc\n"
     "  --webroot     coi mọi ĐƯỜNG_DẪN là thư mục web (mặc định: /var/www và thư mục htdocs,\n"
     "                public_html, wwwroot)\n"
     "  --exclude MẪU  bỏ qua tệp/thư mục khớp MẪU (tên hoặc cả đường dẫn, như cache, *.log);\n"
     "                lặp lại được; được ghi cùng bản gốc\n"
     "Dấu hiệu web shell: DATA_DIR/webshell-markers.txt nếu có, không thì bộ có sẵn.\n\n" COMMON_VI
     "\nMã thoát: 0 không có thay đổi, 1 có thay đổi (hoặc web shell), 2 lỗi.\n",
     "Usage: canhgac fim baseline PATH... [--name NAME] [--update] [--webroot]\n"
     "                            [--exclude GLOB]...\n"
     "       canhgac fim check [PATH...] [--name NAME] [--update] [--json]\n"
     "       canhgac fim show [--name NAME] [--json]\n"
     "       canhgac fim list [--json]\n\n"
     "baseline: records SHA-256, size, times, permissions, owner, group and link target of\n"
     "every file and folder under PATH in DATA_DIR/fim.db; also reports files with\n"
     "web-shell markers.\n"
     "check: compares with the baseline: files added, modified, deleted, permission, owner or\n"
     "group changes, a file turned into a link; new server scripts (.php .jsp .aspx ..., also\n"
     "double extensions x.php.jpg) in web roots and files with web-shell markers. A file whose\n"
     "device, inode, size, mtime and ctime are unchanged is not read again.\n"
     "  --name NAME   the baseline's name (default: default)\n"
     "  --update      baseline: replace an existing one; check: save the current state as it\n"
     "  --webroot     every PATH is a web root (default: /var/www and folders named htdocs,\n"
     "                public_html, wwwroot)\n"
     "  --exclude GLOB  skip files and folders matching GLOB (base name or full path, e.g.\n"
     "                cache, *.log); repeatable; kept with the baseline\n"
     "Web-shell markers: DATA_DIR/webshell-markers.txt when present, else the built-in "
     "set.\n\n" COMMON_EN "\nExit status: 0 no change, 1 changes (or web shells), 2 error.\n"},
};

int cg_cli_help(const char *name, FILE *f)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		const struct help *h = &helps[i];
		if ((!name && !h->name) || (name && h->name && strcmp(name, h->name) == 0)) {
			fputs(cg_tr(h->vi, h->en), f);
			return 0;
		}
	}
	cg_cli_err(cg_tr("không có lệnh '%s'", "no such command '%s'"), name);
	cg_cli_usage_hint("");
	return 2;
}
