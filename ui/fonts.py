"""Chinese fonts: the browser's font stack for Plotly, and a CJK font file for matplotlib images.

The project's setup installs Debian's fonts-wqy-microhei (scripts/install_system_deps.sh);
matplotlib needs the file registered, or every Chinese label becomes a box.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_STACK = ("WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, "
              "Hiragino Sans GB, sans-serif")
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class FontMissingError(RuntimeError):
    def __init__(self):
        super().__init__("找不到中文字体，图片中的中文会显示为方框。请运行 scripts/install_system_deps.sh"
                         "（安装 fonts-wqy-microhei）。")


@lru_cache(maxsize=1)
def matplotlib_font() -> str:
    """Register the first CJK font found with matplotlib and return its family name."""
    from matplotlib import font_manager
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise FontMissingError()
