#!/usr/bin/env python3
"""Hand-checked cases for the DuckDB and Polars queries of compare.py (time zones, date-only due
dates, the supplement-days boundary, open dossiers at the period end, paper results), and for the
DuckDB query of the export shape on the same records written as an export.

Run: python3 benches/compare/test_compare.py   (needs duckdb and polars)
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import compare  # noqa: E402

UNITS = """id,name,parent,level,valid_from,valid_to,successors
tinh,Tỉnh,,province,,,
xa-1,"Xã A, B",tinh,commune,,,
xa-1-01,Ấp 1,xa-1,neighbourhood,,,
so-1,Sở,tinh,agency,,,
"""
PROCEDURES = """procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants
P1,"Cấp, đổi",Hộ tịch,commune,full,1,1,1,1,1
P2,Khác,Đất đai,agency,partial,0,0,0,0,1
"""
H = ("dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,supplement_days,"
     "e_result,digitized,reused_data,shared_storage,citizen_data,synced,fee,paid_online,complaint,rating,note")
# (row, late?, in period?)
CASES = [
    # date-only due = end of the day: finishing at 23:59:59 is on time, at 00:00 next day late
    ("a,xa-1,P1,2025-07-01T00:30:00,2025-07-05,2025-07-05T23:59:59,online,0,0,1,1,0,0,0,1,1,1,0,satisfied,", False, True),
    ("b,xa-1,P1,2025-07-01T00:30:00,2025-07-05,2025-07-06T00:00:00,online,0,0,0,1,0,0,0,1,1,0,0,,", True, True),
    # UTC: 30 June 17:30Z is 1 July 00:30 in Vietnam (in); 31 July 17:30Z is 1 August (out)
    ("c,xa-1-01,P1,2025-06-30T17:30:00Z,,,direct,,,true,false,,,,TRUE,,,,,", False, True),
    ("d,xa-1,P1,2025-07-31T17:30:00Z,,,online,0,0,1,1,1,1,1,1,1,1,0,,", False, False),
    ("e,xa-1,P1,2025-07-31T23:59:59+07:00,,,online,0,0,1,1,1,1,1,1,1,1,0,,", False, True),
    ("e2,xa-1,P1,2025-06-30T23:59:59,,,online,0,0,1,1,1,1,1,1,1,1,0,,", False, False),
    # waiting days: exactly back to the deadline is on time, a thousandth less is late
    ("f,so-1,P2,2025-07-08T10:00:00,2025-07-10T10:00:00,2025-07-11T22:00:00,online,1,1.5,0,1,0,0,0,1,0,0,0,,", False, True),
    ("g,so-1,P2,2025-07-08T10:00:00,2025-07-10T10:00:00,2025-07-11T22:00:00,online,1,1.499,0,1,0,0,0,1,0,0,0,,", True, True),
    # open: judged at 2025-07-31T23:59:59 local
    ("h,so-1,P2,2025-07-20T10:00,2025-07-31,,postal,0,0,0,0,0,0,0,0,0,0,0,,", False, True),
    ("i,so-1,P2,2025-07-20T10:00,2025-07-31T23:59:58,,postal,0,0,0,0,0,0,0,0,0,0,0,,", True, True),
    ("j,so-1,P2,2025-07-20T10:00,2025-07-31T23:59:58,,postal,1,0.001,0,0,0,0,0,0,0,0,0,,", False, True),
    ("k,so-1,P2,2025-07-20T10:00,2025-07-31T16:59:58Z,,postal,0,0,0,0,0,0,0,0,0,0,0,,", True, True),
    # two supplement requests: late whatever the dates
    ("l,xa-1,P1,2025-07-02,2025-07-30,2025-07-03,online,2,0,1,1,0,0,0,1,0,0,0,,", True, True),
    # complaint or unsatisfied: not satisfied though on time
    ('m,xa-1,P1,2025-07-02,2025-07-30,2025-07-03,online,0,0,0,1,0,0,0,1,0,0,1,,"note, with comma"', False, True),
    ("n,xa-1,P1,2025-07-02,2025-07-30,2025-07-03,online,0,0,0,1,0,0,0,1,0,0,0,unsatisfied,", False, True),
]

# The same records in the export shape (exports.md): Vietnamese header names (some of each column's
# aliases), `;`, day-first local times (the UTC ones of CASES written in Vietnam time), Vietnamese
# channel, rating and boolean words. One line per case of CASES, in the same order.
EXPORT_H = (
    "Số hồ sơ;Mã đơn vị;Mã TTHC;Ngày tiếp nhận;Hạn giải quyết;Ngày có kết quả;Kênh nộp;Số lần bổ sung;"
    "Số ngày chờ bổ sung;Kết quả điện tử;Đã số hóa;Tái sử dụng dữ liệu;Kho dữ liệu cá nhân;Dữ liệu dân cư;"
    "Đồng bộ DVCQG;Có phí, lệ phí;Thanh toán trực tuyến;Có PAKN;Đánh giá;Ghi chú"
)
EXPORT_UNITS = """Mã đơn vị;Tên đơn vị;Đơn vị cấp trên;Cấp;Hiệu lực từ;Hiệu lực đến;Đơn vị kế thừa
tinh;Tỉnh;;province;;;
xa-1;Xã A, B;tinh;commune;;;
xa-1-01;Ấp 1;xa-1;neighbourhood;;;
so-1;Sở;tinh;agency;;;
"""
EXPORT_PROCEDURES = (
    "Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Mức độ dịch vụ công;Đủ điều kiện toàn trình;Trả kết quả giấy;"
    "Có phí, lệ phí;Tích hợp thanh toán;Đối tượng là công dân\n"
    "P1;Cấp, đổi;Hộ tịch;commune;full;Có;Có;Có;Có;Có\n"
    "P2;Khác;Đất đai;agency;partial;Không;Không;Không;Không;Có\n"
)
EXPORT_CASES = [
    "a;xa-1;P1;01/07/2025 00:30:00;05/07/2025;05/07/2025 23:59:59;Trực tuyến;0;0;1;1;0;0;0;1;1;1;0;Hài lòng;",
    "b;xa-1;P1;01/07/2025 00:30:00;05/07/2025;06/07/2025 00:00:00;Trực tuyến;0;0;0;1;0;0;0;1;1;0;0;;",
    "c;xa-1-01;P1;01/07/2025 00:30:00;;;Trực tiếp;;;Có;Không;;;;x;;;;;",
    "d;xa-1;P1;01/08/2025 00:30:00;;;Trực tuyến;0;0;1;1;1;1;1;1;1;1;0;;",
    "e;xa-1;P1;31/07/2025 23:59:59;;;Trực tuyến;0;0;có;có;có;có;có;có;có;có;không;;",
    "e2;xa-1;P1;30/06/2025 23:59:59;;;Trực tuyến;0;0;1;1;1;1;1;1;1;1;0;;",
    "f;so-1;P2;08/07/2025 10:00:00;10/07/2025 10:00:00;11/07/2025 22:00:00;Trực tuyến;1;1,5;0;1;0;0;0;1;0;0;0;;",
    "g;so-1;P2;08/07/2025 10:00:00;10/07/2025 10:00:00;11/07/2025 22:00:00;Trực tuyến;1;1.499;0;1;0;0;0;1;0;0;0;;",
    "h;so-1;P2;20/07/2025 10:00;31/07/2025;;Bưu chính;0;0;0;0;0;0;0;0;0;0;0;;",
    "i;so-1;P2;20/07/2025 10:00;31/07/2025 23:59:58;;Dịch vụ bưu chính công ích;0;0;0;0;0;0;0;0;0;0;0;;",
    "j;so-1;P2;20/07/2025 10:00;31/07/2025 23:59:58;;Bưu chính;1;0.001;0;0;0;0;0;0;0;0;0;;",
    "k;so-1;P2;20/07/2025 10:00;31-07-2025 23:59:58;;Bưu chính;0;0;0;0;0;0;0;0;0;0;0;;",
    "l;xa-1;P1;02/07/2025;30/07/2025;03/07/2025;Trực tuyến;2;0;1;1;0;0;0;1;0;0;0;;",
    'm;xa-1;P1;02/07/2025;30/07/2025;03/07/2025;Trực tuyến;0;0;0;1;0;0;0;1;0;0;1;;"ghi chú; có dấu chấm phẩy"',
    "n;xa-1;P1;02/07/2025;30/07/2025;03/07/2025;Trực tuyến;0;0;0;1;0;0;0;1;0;0;0;Không hài lòng;",
]


def expected():
    rows = [c for c in CASES if c[2]]
    def unit_of(r):
        return r[0].split(",")[1]
    anc = {"xa-1": ["xa-1", "tinh"], "xa-1-01": ["xa-1-01", "xa-1", "tinh"], "so-1": ["so-1", "tinh"]}
    out = {}
    for text, late, _ in rows:
        f = next(iter(__import__("csv").reader([text])))
        paper = f[2] == "P1"
        b = lambda i: f[i].lower() in ("1", "true")  # noqa: E731
        e_result, digitized, reused, shared, citizen, synced, fee, paid, complaint = (b(i) for i in range(9, 18))
        online = f[6] == "online" and (not paper or e_result)
        satisfied = not late and f[18] != "unsatisfied" and not complaint
        inc = {
            "ON_TIME": (not late, 1), "DOSSIER_SATISFIED": (satisfied, 1), "ONLINE_DOSSIERS": (online, 1),
            "DOSSIER_SYNC": (synced, 1), "E_RESULT": (paper and e_result, paper),
            "DIGITIZED": (digitized and (not paper or e_result), 1), "REUSED_DATA": (reused, 1),
            "SHARED_STORAGE": (shared, 1), "CITIZEN_DATA_DOSSIERS": (citizen, 1), "PAID_ONLINE": (fee and paid, fee),
        }
        for a in anc[f[1]]:
            m = out.setdefault(a, {k: (0, 0) for k in compare.METRICS})
            for k, (num, den) in inc.items():
                m[k] = (m[k][0] + int(num), m[k][1] + int(den))
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "units.csv").write_text(UNITS, encoding="utf-8")
        (d / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
        (d / "dossiers.csv").write_text(H + "\n" + "\n".join(c[0] for c in CASES) + "\n", encoding="utf-8")
        e = d / "export"
        e.mkdir()
        (e / "units.csv").write_text("\ufeff" + EXPORT_UNITS, encoding="utf-8")
        (e / "procedures.csv").write_text("\ufeff" + EXPORT_PROCEDURES, encoding="utf-8")
        # With a BOM and CRLF line ends, as a spreadsheet saves it.
        export = "\ufeff" + "\r\n".join([EXPORT_H, *EXPORT_CASES]) + "\r\n"
        (e / "dossiers.csv").write_bytes(export.encode("utf-8"))
        assert len(EXPORT_CASES) == len(CASES)
        want = expected()
        failed = False
        runs = [
            ("duckdb", lambda: compare.run_duckdb(d, "2025-07")),
            ("polars", lambda: compare.run_polars(d, "2025-07")),
            ("duckdb on the export shape", lambda: compare.run_duckdb(e, "2025-07", "export")),
        ]
        for name, run in runs:
            got = compare.normalise(run()[0])
            lines = compare.diff("expected", want, name, got)
            if lines:
                failed = True
                print(f"{name} differs from the hand-checked counts:\n" + "\n".join(lines))
            else:
                print(f"{name}: all {len(want) * len(compare.METRICS)} hand-checked cells agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
