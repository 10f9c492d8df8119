"""``gongwen ingest``, ``search`` (incl. ``--batch``), ``show`` and ``edit``: thin, over ``Archive``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    archive,
    assignment,
    emit,
    fail,
    iso_date,
    non_negative_int,
    positive_int,
    print_json,
)
from pipeline.model import UNTITLED, shown_title


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add this stage's sub-commands."""
    p = sub.add_parser("ingest", parents=[parent], help="批量入库：文件、文件夹、zip 压缩包")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=positive_int, default=None,
                   help="解析进程数（默认：全部 CPU 核）")
    p.add_argument("--cluster", type=cluster_address, default=None, metavar="tcp://HOST:PORT",
                   help="在 Dask 计算集群上解析（调度器地址）；本机只负责存档、编目和索引")
    p.add_argument("--no-progress", action="store_true", help="不在 stderr 显示进度条")
    p.set_defaults(handler=run_ingest)

    p = sub.add_parser("verify", parents=[parent],
                       help="检测档案：重新计算存档原件的 SHA-256/SM3，核对索引与目录是否一致")
    p.add_argument("--no-progress", action="store_true", help="不在 stderr 显示进度条")
    p.set_defaults(handler=run_verify)

    p = sub.add_parser("search", parents=[parent], help="检索已入库的公文")
    p.add_argument("query", nargs="?", help="检索词（用 --batch 时省略）")
    p.add_argument("--batch", metavar="FILE", help="检索词文件，每行一个；输出 JSON Lines")
    p.add_argument("--limit", type=positive_int, default=10)
    p.add_argument("--offset", type=non_negative_int, default=0)
    p.add_argument("--genre")
    p.add_argument("--year", type=int)
    p.add_argument("--issuer")
    p.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.set_defaults(handler=run_search)

    p = sub.add_parser("show", parents=[parent], help="显示一篇已入库的公文及其档案信息")
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=run_show)

    p = sub.add_parser("edit", parents=[parent], help="更正公文的著录信息（重新入库后仍保留）")
    p.add_argument("id", metavar="ID")
    p.add_argument("--set", dest="changes", action="append", required=True, metavar="FIELD=VALUE",
                   type=assignment, help="如 --set title=… --set issuer=甲、乙")
    p.set_defaults(handler=run_edit)


# --- ingest ----------------------------------------------------------------------------------


def cluster_address(text: str) -> str:
    """An argparse type: a Dask scheduler's address, ``tcp://HOST:PORT`` (or ``tls://``)."""
    scheme, sep, rest = text.partition("://")
    host, colon, port = (rest if sep else text).rpartition(":")
    if (sep and scheme not in ("tcp", "tls")) or not colon or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"集群地址应写成 tcp://主机:端口：{text}")
    return text if sep else f"tcp://{text}"


def run_ingest(args: argparse.Namespace) -> int:
    if args.cluster and args.workers:
        return fail(args, "用法错误：--workers 与 --cluster 不能同时使用"
                          "（集群模式下由计算节点的线程数决定并行度）", EXIT_USAGE)
    from pipeline.archive.dispatch import ClusterError

    try:
        summary = archive(args).ingest(args.paths, workers=args.workers,
                                       progress=not args.no_progress, cluster=args.cluster)
    except ClusterError as err:
        return fail(args, f"入库未开始：{err}", EXIT_PARTIAL)
    emit(args, summary, None if args.json else _ingest_text(summary))
    return EXIT_PARTIAL if summary["failed"] else EXIT_OK


def _ingest_text(summary: dict[str, Any]) -> str:
    headline = (f"入库完成，用时 {summary['seconds']:.1f} 秒：新增 {summary['added']} 件，"
                f"新版本 {summary['updated']} 件，未变化 {summary['unchanged']} 件，"
                f"重复 {summary['duplicates']} 件，失败 {len(summary['failed'])} 件，"
                f"隔离 {len(summary['quarantined'])} 件。")
    lines = [headline]
    for item in summary["failed"]:
        lines.append(f"✗ 失败：{item['path']}：{item['error']}")
    for item in summary["quarantined"]:
        lines.append(f"⚠ 隔离：{item['path']}：{item['reason']}")
    return "\n".join(lines)


def run_verify(args: argparse.Namespace) -> int:
    report = archive(args).verify(progress=not args.no_progress)
    emit(args, report, None if args.json else _verify_text(report))
    return EXIT_OK if report["ok"] else EXIT_PARTIAL


def _verify_text(report: dict[str, Any]) -> str:
    index = report["index"]
    headline = (f"检测完成：存档原件 {report['files']} 个（{report['bytes'] / 1e6:.1f} MB），"
                f"问题 {len(report['problems'])} 个；目录中应检索的公文 {index['documents']} 件。")
    lines = [headline]
    for item in report["problems"]:
        lines.append(f"✗ {item['stored']}（来自 {'、'.join(item['sources'])}）：{item['problem']}")
    if index["stale"]:
        lines.append("⚠ 索引由旧版本写成，下次检索或入库时将按目录重建。")
    if index["missing"]:
        lines.append(f"✗ 索引缺少 {len(index['missing'])} 件：{'、'.join(index['missing'][:10])}")
    if index["extra"]:
        lines.append(f"✗ 索引多出 {len(index['extra'])} 件：{'、'.join(index['extra'][:10])}")
    if index["missing"] or index["extra"]:
        lines.append("  再运行一次 gongwen ingest（任意路径）即可让索引与目录一致。")
    if report["ok"]:
        lines.append("✓ 所有原件的 SHA-256 与 SM3 校验值相符，索引与目录一致。")
    return "\n".join(lines)


# --- search ----------------------------------------------------------------------------------


def _search_options(args: argparse.Namespace) -> dict[str, Any]:
    options = {"limit": args.limit, "offset": args.offset, "genre": args.genre, "year": args.year,
               "issuer": args.issuer, "date_from": args.date_from, "date_to": args.date_to,
               "sort": args.sort}
    return {key: value for key, value in options.items() if value is not None}


def run_search(args: argparse.Namespace) -> int:
    if bool(args.batch) == bool(args.query):
        return fail(args, "用法错误：请给出一个检索词，或用 --batch FILE 给出检索词文件（二者取其一）", EXIT_USAGE)
    if args.batch:
        return _run_batch(args)
    result = archive(args).search(args.query, **_search_options(args))
    emit(args, result, None if args.json else _search_text(args.query, result, args.offset))
    return EXIT_OK


def _run_batch(args: argparse.Namespace) -> int:
    """One result object per non-empty line, in order (JSON Lines with --json)."""
    try:
        queries = [line.strip() for line in
                   Path(args.batch).read_text(encoding="utf-8-sig").splitlines()]
    except (OSError, UnicodeDecodeError) as err:
        return fail(args, f"无法读取检索词文件：{args.batch}：{getattr(err, 'strerror', None) or err}", EXIT_USAGE)
    store, options = archive(args), _search_options(args)
    for query in (q for q in queries if q):
        result = store.search(query, **options)
        if args.json:
            print_json(result)
        else:
            sys.stdout.write(_search_text(query, result, args.offset) + "\n\n")
        sys.stdout.flush()
    return EXIT_OK


def _search_text(query: str, result: dict[str, Any], offset: int) -> str:
    hits = result.get("hits", [])
    about = "约 " if result.get("total_estimated") else ""
    lines = [f"检索“{query}”：共 {about}{result.get('total', 0)} 条结果"]
    if "all_words" in result:
        lines[0] += f"（含全部检索词的 {result['all_words']} 条在前，其余只含部分检索词）"
    if not hits and result.get("suggestion"):
        lines.append(f"您是不是要找：{result['suggestion']}")
    if result.get("relaxed"):
        lines.append("没有与检索词完全一致的结果；以下结果包含较长检索词的各个组成部分。")
    for number, hit in enumerate(hits, start=offset + 1):
        lines.append(f"{number}. {shown_title(hit.get('title'), hit.get('title_derived'), UNTITLED)}")
        details = [f"文号：{hit['doc_number']}" if hit.get("doc_number") else "",
                   f"日期：{hit['date']}" if hit.get("date") else "",
                   f"文种：{hit['genre']}" if hit.get("genre") else "", f"编号：{hit.get('id')}",
                   f"与编号 {hit['near_copy_of']} 内容基本相同" if hit.get("near_copy_of") else ""]
        lines.append("   " + "  ".join(d for d in details if d))
        if hit.get("missing"):
            lines.append(f"   缺少：{'、'.join(hit['missing'])}")
        for snippet in hit.get("snippets", [])[:2]:
            lines.append(f"   {snippet}")  # highlight() marks a cut with … itself
    return "\n".join(lines)


# --- show and edit ---------------------------------------------------------------------------


def run_show(args: argparse.Namespace) -> int:
    from pipeline.archive.catalog import QuarantinedError

    try:
        data = archive(args).get(args.id)
    except QuarantinedError as err:
        return fail(args, f"拒绝显示：{err}", EXIT_PARTIAL)
    except KeyError:
        return fail(args, f"档案库中没有编号为 {args.id} 的公文", EXIT_PARTIAL)
    emit(args, data, None if args.json else _show_text(data))
    return EXIT_OK


def run_edit(args: argparse.Namespace) -> int:
    from pipeline.archive.catalog import QuarantinedError

    try:
        data = archive(args).edit(args.id, dict(args.changes))
    except QuarantinedError as err:
        return fail(args, f"拒绝修改：{err}", EXIT_PARTIAL)
    except KeyError:
        return fail(args, f"档案库中没有编号为 {args.id} 的公文", EXIT_PARTIAL)
    except ValueError as err:
        return fail(args, f"用法错误：{err}", EXIT_USAGE)
    changed = "、".join(field for field, _value in args.changes)
    emit(args, data, None if args.json else f"已更正 {data['id']} 的字段：{changed}\n\n"
         + _show_text(data))
    return EXIT_OK


def _show_text(data: dict[str, Any]) -> str:
    from pipeline.archive.catalog import FILE_ROLE_LABELS

    meta = data["archive"]
    lines = [f"编号：{data['id']}{'' if meta['current'] else '（旧版本，现行版本：' + meta['current_id'] + '）'}"]
    lines.append(f"标题：{shown_title(data.get('title'), data.get('title_derived'), UNTITLED)}")
    for label, key in (("文号", "doc_number"), ("日期", "date"),
                       ("文种", "genre"), ("密级", "secrecy"), ("紧急程度", "urgency")):
        if data.get(key):
            lines.append(f"{label}：{data[key]}")
    for label, key in (("发文机关", "issuer"), ("主送", "recipients"), ("抄送", "cc"),
                       ("附件", "attachments")):
        if data.get(key):
            lines.append(f"{label}：{'、'.join(data[key])}")
    if meta.get("hashes"):
        lines.append(f"SHA-256：{meta['hashes']['sha256']}")
        lines.append(f"SM3：{meta['hashes']['sm3']}")
    lines.append("文件：")
    for f in meta["files"]:
        lines.append(f"  [{FILE_ROLE_LABELS.get(f['role'], f['role'])}] {f['path']}（{f['format'] or '?'}，"
                     f"{f['size']} 字节，存档副本 {f['stored']}）")
    if meta["versions"]:
        lines.append("版本：")
        for v in meta["versions"]:
            mark = "（现行）" if v["current"] else ""
            title = shown_title(v["title"], v.get("title_derived"))
            lines.append(f"  {v['id']} {v['date'] or '无日期'} {title}{mark}")
    if meta.get("near_copies"):
        lines.append("内容基本相同的公文：")
        for c in meta["near_copies"]:
            title = shown_title(c["title"], c.get("title_derived"))
            lines.append(f"  {c['id']} {c['date'] or '无日期'} {title}（相似度 {c['similarity']:.0%}）")
    if meta["corrections"]:
        lines.append("人工更正：" + "；".join(f"{k}={v}" for k, v in meta["corrections"].items()))
    lines.append("")
    lines.append(data.get("body") or "")
    return "\n".join(lines)
