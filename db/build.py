"""Command line: build the database from demo data or from the bank's CSV exports.

    python -m db.build [--customers N] [--months M] [--seed S] [--end-month YYYY-MM]
    python -m db.build --from-csv customer_base.csv customer_behavior_assets.csv
    python -m db.build --export-csv DIR      # write the demo data as CSV instead
    python -m db.build --target URL          # also load the build into a PostgreSQL or MySQL/MariaDB server
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config import settings
from db.errors import BuildError
from db.generator import GeneratorConfig


def main(argv=None) -> int:
    defaults = GeneratorConfig()
    parser = argparse.ArgumentParser(prog="python -m db.build", description="构建客户数据库（SQLite）")
    parser.add_argument("--db", type=Path, default=None, help="输出数据库（默认取 BANK_DB）")
    parser.add_argument("--customers", type=int, default=defaults.customers)
    parser.add_argument("--months", type=int, default=defaults.months)
    parser.add_argument("--end-month", default=defaults.end_month, help="最后一个统计月份 YYYY-MM")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--dirty-rate", type=float, default=defaults.dirty_rate,
                        help="脏数据比例（无效日期、负余额等）")
    parser.add_argument("--from-csv", nargs=2, type=Path, metavar=("CUSTOMER_BASE", "BEHAVIOR"),
                        help="从行方导出的两个文件构建（CSV：UTF-8/GBK，逗号/分号/制表符/竖线分隔；或 Excel .xlsx/.xls）")
    parser.add_argument("--sheet", help="Excel 工作表名（默认第一个）")
    parser.add_argument("--columns", type=Path, metavar="MAPPING.yaml",
                        help="列名映射文件：每行“文件中的表头: 列名”，用于自动对应不上的表头")
    parser.add_argument("--duplicates", choices=("first", "last"), default="first",
                        help="同一客户（或同一客户同一月份）出现多次时保留哪一条（默认 first）")
    parser.add_argument("--export-csv", type=Path, metavar="DIR", help="只把生成的数据写成 CSV")
    parser.add_argument("--target", metavar="URL",
                        help="构建后载入数据库服务器（postgresql+psycopg://… 或 mysql+pymysql://…，用有建表权限的账号）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = parser.parse_args(argv)

    # Imported here so `--help` stays instant.
    from db.export import export_generated_csv
    from db.loader import build_database
    from db.sources import FileSource, GeneratedSource

    try:
        config = GeneratorConfig(args.customers, args.months, args.end_month, args.seed,
                                 args.dirty_rate)
    except ValueError as exc:
        parser.error(f"参数无效：{exc}")
    try:
        if args.export_csv:
            paths = export_generated_csv(config, args.export_csv)
            print("已写出：" + "，".join(map(str, paths)))
            return 0
        source = FileSource(*args.from_csv, sheet=args.sheet, columns=args.columns) if args.from_csv \
            else GeneratedSource(config)
        db_path = args.db or settings().db_path
        result = build_database(source, db_path, progress=not args.quiet, keep=args.duplicates)
    except BuildError as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        return 2
    total = sum(result.timings.values())
    print(f"已构建 {result.db_path}：{result.customers:,} 位客户，{result.behavior_rows:,} 条月度记录，"
          f"基准月 {result.as_of_month}，用时 {total:.1f} 秒。")
    fixes = sum(f.rows for f in result.report.findings)
    print(f"数据质量：{len(result.report.findings)} 类问题，共处理 {fixes:,} 处，"
          f"详见 {result.quality_report_path}")
    for note in result.report.notes:
        print(f"注意：{note}")
    if args.target:
        from db.server_load import ServerLoadError, load_server
        try:
            loaded = load_server(result.db_path, args.target,
                                 progress=None if args.quiet else lambda t, n: print(f"  {t}: {n:,} 行"))
        except ServerLoadError as exc:
            print(f"载入服务器失败：{exc}", file=sys.stderr)
            return 2
        rows = sum(loaded.tables.values())
        print(f"已载入服务器：{len(loaded.tables)} 张表，{rows:,} 行，用时 {loaded.seconds:.1f} 秒"
              f"（{rows / max(loaded.seconds, 1e-9):,.0f} 行/秒）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
