"""The web app's entry point (`make run` ends here): see `python app_gradio.py --help`.

Tabs: 智能问答 (chat), 经营大屏 (dashboard), 模型洞察 (model insights), 客户360.
The layout is in ui/app.py, each tab in its own ui/ module; configuration in config.py.
"""
import sys

from ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
