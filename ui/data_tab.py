"""数据 (administrators only): upload a bank's two exports, see the quality report and what would
change, confirm the swap; the models then retrain in the background with their progress shown.

The same validation and atomic replace as `python -m db.build --from-csv` (db.imports). The tab
exists only when the app has a login, is shown only to BANK_ADMIN_USERS, and every handler checks
the user again (a hidden tab's events can still be called).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import gradio as gr
import pandas as pd

from db.errors import BuildError
from db.imports import StagedImport, commit_import, discard_import, stage_import
from toolkits.formatting import money
from ui.render import as_text
from ui.services import Services, user_of

ROWS = (("customers", "客户数", lambda v: f"{v:,}"), ("months", "月份数", str),
        ("first_month", "首月", str), ("as_of_month", "基准月", str), ("aum", "基准月 AUM", money))


def comparison(before: dict | None, after: dict) -> pd.DataFrame:
    return pd.DataFrame([[label, fmt(before[key]) if before and before.get(key) is not None else "—",
                          fmt(after[key]) if after.get(key) is not None else "—"] for key, label, fmt in ROWS],
                        columns=["项目", "当前数据", "新数据"])


class Retraining:
    """Models retrained on the new data in a background thread; `status()` says where it is."""

    TITLES = {"high_value": "高价值预测", "segmentation": "客户分群", "basket": "产品关联", "forecast": "资产预测"}

    def __init__(self):
        self.lock = threading.Lock()
        self.text = ""
        self.running = False

    def start(self, db_path: Path, artifacts_dir: Path, when_done) -> None:
        with self.lock:
            if self.running:
                return
            self.running, self.text = True, "模型重新训练即将开始…"
        threading.Thread(target=self._run, args=(db_path, artifacts_dir, when_done), daemon=True).start()

    def _run(self, db_path, artifacts_dir, when_done) -> None:
        from models.train import train_all
        start = time.perf_counter()

        def step(done, total, name):
            self.text = f"模型重新训练中：第 {done + 1}/{total} 个（{self.TITLES.get(name, name)}）…"
        try:
            train_all(db_path, artifacts_dir, progress=False, on_step=step)
            when_done()
            self.text = f"✅ 模型已按新数据重新训练完成（用时 {time.perf_counter() - start:.0f} 秒）。"
        except Exception as exc:   # shown to the administrator; the old models stay in place
            self.text = f"⚠️ 模型训练失败：{exc}。原有模型未被替换，可在服务器上运行 python -m models.train 查看详情。"
        finally:
            self.running = False

    def status(self) -> str:
        return self.text


class DataHandlers:
    def __init__(self, services: Services):
        self.services = services
        self.staged: dict[str, StagedImport] = {}
        self.retraining = Retraining()

    def _admin(self, request) -> str:
        user = user_of(request)
        if not self.services.is_admin(user):
            raise gr.Error("只有管理员可以导入数据。")
        return user

    def _check_size(self, path: str) -> None:
        cap = self.services.settings.upload_max_mb
        if Path(path).stat().st_size > cap * 2**20:
            raise gr.Error(f"文件 {Path(path).name} 超过 {cap} MB 的上限。请在服务器上用 python -m db.build --from-csv 导入。")

    def stage(self, base_file, behavior_file, sheet, duplicates, request: gr.Request = None,
              progress=gr.Progress()):
        user = self._admin(request)
        if not base_file or not behavior_file:
            raise gr.Error("请同时上传两个文件：客户基本信息（customer_base）和月度资产行为（customer_behavior_assets）。")
        for f in (base_file, behavior_file):
            self._check_size(f)
        self.discard(request)
        progress(0.1, desc="识别文件格式、对应表头、校验并构建新数据库（当前数据库不受影响）…")
        try:
            staged = stage_import(Path(base_file), Path(behavior_file), self.services.settings.db_path,
                                  sheet=(sheet or "").strip() or None, keep=duplicates or "first")
        except BuildError as exc:
            return (f"⚠️ 导入未通过，当前数据库保持不变。\n\n{as_text(str(exc))}", None,
                    gr.Button(interactive=False))
        self.staged[user] = staged
        report = staged.result.report.to_markdown(f"新数据（基准月 {staged.result.as_of_month}）")
        head = "校验通过。请核对下表与质量报告，确认后替换当前数据库；模型会随后按新数据重新训练。\n\n"
        return head + report, comparison(staged.before, staged.after), gr.Button(interactive=True)

    def confirm(self, request: gr.Request = None):
        user = self._admin(request)
        staged = self.staged.pop(user, None)
        if staged is None:
            raise gr.Error("没有待确认的导入，请先上传文件并校验。")
        commit_import(staged)
        self.services.reload()
        self.retraining.start(self.services.settings.db_path, self.services.settings.artifacts_dir,
                              self.services.reload)
        return "✅ 已替换为新数据。" + self.retraining.status(), gr.Button(interactive=False), gr.Timer(active=True)

    def discard(self, request: gr.Request = None):
        staged = self.staged.pop(self._admin(request), None)
        if staged is not None:
            discard_import(staged)
        return "已放弃本次导入，当前数据库未改变。"

    def progress(self):
        return self.retraining.status(), gr.Timer(active=self.retraining.running)

    def visible_to(self, request: gr.Request = None):
        return gr.Tab(visible=self.services.is_admin(user_of(request)))


def build(services: Services, tab: gr.Tab, demo: gr.Blocks) -> None:
    h = DataHandlers(services)
    gr.Markdown("上传行方导出的两个文件（CSV：UTF-8/GBK，逗号/分号/制表符/竖线分隔；或 Excel）。系统先在旁边构建并校验"
                "新数据库，您核对质量报告和前后对比后再确认替换；出错时当前数据库保持不变。")
    with gr.Row():
        base = gr.File(label="客户基本信息（customer_base）", type="filepath", elem_id="upload-base",
                       file_types=[".csv", ".txt", ".tsv", ".xlsx", ".xls"])
        behavior = gr.File(label="月度资产行为（customer_behavior_assets）", type="filepath", elem_id="upload-behavior",
                           file_types=[".csv", ".txt", ".tsv", ".xlsx", ".xls"])
    with gr.Row():
        sheet = gr.Textbox(label="Excel 工作表（可选，默认第一个）", max_length=64)
        duplicates = gr.Radio([("保留第一条", "first"), ("保留最后一条", "last")], value="first",
                              label="同一客户（同一月份）重复时")
    check = gr.Button("校验并预览", variant="primary", elem_id="import-check")
    result = gr.Markdown(elem_id="import-result")
    compare = gr.DataFrame(label="替换前后对比", interactive=False, elem_id="import-compare")
    with gr.Row():
        confirm = gr.Button("确认替换当前数据库", variant="stop", interactive=False, elem_id="import-confirm")
        cancel = gr.Button("放弃", elem_id="import-cancel")
    status = gr.Markdown(elem_id="import-status")
    timer = gr.Timer(2.0, active=False)
    check.click(h.stage, [base, behavior, sheet, duplicates], [result, compare, confirm], api_name=False)
    confirm.click(h.confirm, None, [status, confirm, timer], api_name=False)
    cancel.click(h.discard, None, [status], api_name=False).then(lambda: gr.Button(interactive=False), None, [confirm])
    timer.tick(h.progress, None, [status, timer], api_name=False)
    demo.load(h.visible_to, None, [tab], api_name=False)
