"""Command line of the web app: `python app_gradio.py [--share] [--host H] [--port P]`.

Logins come from the environment (BANK_AUTH) or a file of salted hashes (BANK_AUTH_FILE), never
from the command line, where any user of the machine could read them in `ps`."""
from __future__ import annotations

import argparse
import sys

from config import settings
from ui.logins import Logins

SHARE_REFUSED = ("拒绝创建公开链接：--share 会把客户数据暴露到公网，必须同时设置登录凭据"
                 "（环境变量 BANK_AUTH=用户名:密码，或 BANK_AUTH_FILE 指向 python -m ui.logins hash 生成的文件）。")
HOST_REFUSED = ("拒绝在 {host} 上无登录启动：网络上的任何人都能看到客户数据。请设置登录凭据（BANK_AUTH 或 "
                "BANK_AUTH_FILE），或只在本机（127.0.0.1）访问。")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SHARE_FAILED = "无法创建公开分享链接（可能没有外网）。应用继续在本地提供服务：{local}"


def parse_args(s, argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="app_gradio.py", description="百万客群经营助手（网页版）")
    p.add_argument("--share", action="store_true", help="创建 Gradio 公开链接（必须同时设置登录凭据）")
    p.add_argument("--host", default=s.host, help=f"监听地址（默认 {s.host}，BANK_HOST）")
    p.add_argument("--port", type=int, default=s.port, help=f"端口（默认 {s.port}，BANK_PORT）")
    p.add_argument("--insecure-serve-customer-data-without-login", dest="no_login_ok", action="store_true",
                   help="在非本机地址上不设登录也启动（会把客户数据暴露给网络上的任何人；仅限隔离的演示环境）")
    return p.parse_args(argv)


def main(argv=None) -> int:
    try:
        s = settings()
        auth = Logins.from_settings(s.auth, s.auth_file)
    except (ValueError, OSError) as exc:   # a malformed login is an error, not an open door
        print(f"登录设置有误：{exc}", file=sys.stderr)
        return 2
    args = parse_args(s, argv)
    if args.share and not auth:
        print(SHARE_REFUSED, file=sys.stderr)
        return 2
    if args.host not in LOOPBACK and not auth and not args.no_login_ok:
        print(HOST_REFUSED.format(host=args.host), file=sys.stderr)
        return 2
    # Imported late: argument errors and the refusal answer in a second, not after gradio's import.
    from ui.app import CSS, THEME, build_app
    from ui.services import Services
    demo = build_app(Services.from_settings(s), has_login=auth is not None)
    _, local_url, share_url = demo.launch(
        server_name=args.host, server_port=args.port, share=args.share, auth=auth,
        max_file_size=f"{s.upload_max_mb}mb",
        auth_message="请输入用户名和密码" if auth else None, prevent_thread_lock=True, quiet=True,
        footer_links=["api"], css=CSS, theme=THEME, show_error=False)
    print(f"百万客群经营助手已启动：{local_url}" + ("（需要登录）" if auth else ""), flush=True)
    if args.share:
        print(f"公开链接：{share_url}" if share_url else SHARE_FAILED.format(local=local_url), flush=True)
    demo.block_thread()
    return 0

