"""Command line of the web app: `python app_gradio.py [--share] [--auth user:pass] [--host H] [--port P]`."""
from __future__ import annotations

import argparse
import sys

from config import parse_auth, settings

SHARE_REFUSED = ("拒绝创建公开链接：--share 会把客户数据暴露到公网，必须同时设置登录凭据"
                 "（--auth 用户名:密码，或环境变量 BANK_AUTH）。")
SHARE_FAILED = "无法创建公开分享链接（可能没有外网）。应用继续在本地提供服务：{local}"


def parse_args(s, argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="app_gradio.py", description="百万客群经营助手（网页版）")
    p.add_argument("--share", action="store_true", help="创建 Gradio 公开链接（必须同时设置登录凭据）")
    p.add_argument("--auth", help="登录凭据 用户名:密码[,用户名2:密码2]（默认读 BANK_AUTH）")
    p.add_argument("--host", default=s.host, help=f"监听地址（默认 {s.host}，BANK_HOST）")
    p.add_argument("--port", type=int, default=s.port, help=f"端口（默认 {s.port}，BANK_PORT）")
    return p.parse_args(argv)


def main(argv=None) -> int:
    s = settings()
    args = parse_args(s, argv)
    try:
        auth = parse_auth(args.auth) if args.auth else s.auth
    except ValueError as exc:
        print(f"--auth：{exc}", file=sys.stderr)
        return 2
    if args.share and not auth:
        print(SHARE_REFUSED, file=sys.stderr)
        return 2
    # Imported late: argument errors and the refusal answer in a second, not after gradio's import.
    from ui.app import CSS, THEME, build_app
    from ui.services import Services
    demo = build_app(Services.from_settings(s), has_login=bool(auth))
    _, local_url, share_url = demo.launch(
        server_name=args.host, server_port=args.port, share=args.share, auth=list(auth) or None,
        max_file_size=f"{s.upload_max_mb}mb",
        auth_message="请输入用户名和密码" if auth else None, prevent_thread_lock=True, quiet=True,
        footer_links=["api"], css=CSS, theme=THEME, show_error=False)
    print(f"百万客群经营助手已启动：{local_url}" + ("（需要登录）" if auth else ""), flush=True)
    if args.share:
        print(f"公开链接：{share_url}" if share_url else SHARE_FAILED.format(local=local_url), flush=True)
    demo.block_thread()
    return 0

