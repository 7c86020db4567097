"""智能问答: the chat. Handlers first; `build` only lays out and wires them."""
from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from agents.planner import Context
from ui.limits import MAX_INPUT_CHARS
from ui.render import answer_messages, as_text, pending_message
from ui.services import Services, rate_key, user_of

#: Turns that keep their charts, tables and downloads. Every answer re-sends the whole chat,
#: so older turns keep only their text: a long session stays as fast as a new one.
RICH_TURNS = 5
FOLDED = "（较早回答的图表、表格与下载已收起；需要时可再问一次。）"
EXAMPLES = (
    "我行目前有多少客户？总资产管理规模是多少？",
    "不同客户等级的资产占比及客户数量是多少？",
    "一线城市40岁以上客户的平均资产是多少？",
    "客户CUST000172成为高价值客户的概率是多少？",
    "影响客户价值的最重要因素有哪些？",
    "客户可以分成哪几类？每一类有什么特征、适合什么策略？",
    "基于客户CUST000116的现有产品持有情况，应该向其推荐什么产品？",
    "在高净值客户中，最常见的产品组合是什么？",
    "客户CUST000055的资产在未来可能呈现什么样的趋势？",
    "全行未来4个季度的AUM走势如何？",
    "未来6个月内，可能出现资产下降的客户有哪些？如何提前进行干预？",
)


@dataclass
class Conversation:
    """One browser session's turns and follow-up context, kept on the server: the chat's
    history is never sent back by the page (so a page cannot rewrite what was said)."""
    context: Context = field(default_factory=Context)
    messages: list = field(default_factory=list)


def fold_old_turns(history: list, keep: int = RICH_TURNS) -> None:
    """Replace the components of all but the last `keep` turns by one note per turn (in place)."""
    users = [i for i, m in enumerate(history) if m["role"] == "user"]
    if len(users) <= keep:
        return
    folded = []
    for message in history[:users[-keep]]:
        if isinstance(message["content"], str):
            folded.append(message)
        elif not (folded and folded[-1]["content"] == FOLDED):
            folded.append({"role": "assistant", "content": FOLDED})
    history[:users[-keep]] = folded


class ChatHandlers:
    def __init__(self, services: Services):
        self.services = services

    def respond(self, question: str, conversation: Conversation, request: gr.Request = None):
        """Stream one turn: the question and a pending step at once, then the answer."""
        question = question if isinstance(question, str) else ""
        conversation = conversation if isinstance(conversation, Conversation) else Conversation()
        history = conversation.messages
        wait = self.services.limiter.allow(rate_key(request))
        if wait:   # the question stays in the box, so nothing typed is lost
            history += [{"role": "user", "content": as_text(question)},
                        {"role": "assistant", "content": f"提问太频繁：每位用户每分钟最多 {self.services.limiter.per_minute} 个问题，"
                                                         f"请约 {wait:.0f} 秒后再问。"}]
            yield history, conversation, question
            return
        history.append({"role": "user", "content": as_text(question) or "（空）"})
        yield history + [pending_message()], conversation, ""
        answer = self.services.assistant.ask(question, conversation.context, user_of(request))
        history += answer_messages(answer)
        fold_old_turns(history)
        yield history, conversation, ""

    def pick(self, conversation: Conversation, event: gr.SelectData, request: gr.Request = None):
        """A suggested reading was clicked: ask it as the next question."""
        yield from self.respond(str(event.value), conversation, request)

    @staticmethod
    def clear():
        return [], Conversation(), ""


#: The newest question at the top of the conversation, its answer below it from the start (again once the
#: charts have drawn and changed the heights).
SHOW_ANSWER_START = """() => {
  const show = () => {
    const log = document.querySelector('#chat .bubble-wrap');
    const asked = log ? log.querySelectorAll('.user-row') : [];
    if (!asked.length) return;
    const last = asked[asked.length - 1];
    log.scrollTop += last.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
  };
  setTimeout(show, 200); setTimeout(show, 1200);
}"""


def build(services: Services) -> None:
    handlers = ChatHandlers(services)
    # autoscroll would land on the end of a long answer (its CSV link); SHOW_ANSWER_START scrolls to its start
    chatbot = gr.Chatbot(label="百万客群经营助手", show_label=False, height=620, elem_id="chat", buttons=["copy"],
                         placeholder="用中文提问：数据查询、高价值预测、客户分群、产品推荐、资产预测。",
                         feedback_options=None, autoscroll=False)
    conversation = gr.State(Conversation())
    with gr.Row():
        box = gr.Textbox(placeholder="例如：我行目前有多少客户？总资产管理规模是多少？", show_label=False, scale=8,
                         max_length=MAX_INPUT_CHARS, elem_id="question", submit_btn="提问", autofocus=True)
        clear = gr.Button("清空对话", scale=1, variant="secondary")
    gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[box], label="示例问题（点击填入，覆盖每类分析）",
                examples_per_page=len(EXAMPLES))
    box.submit(handlers.respond, [box, conversation], [chatbot, conversation, box], api_name="ask",
               show_progress="minimal").then(None, js=SHOW_ANSWER_START)
    chatbot.option_select(handlers.pick, [conversation], [chatbot, conversation, box], api_name=False
                          ).then(None, js=SHOW_ANSWER_START)
    clear.click(handlers.clear, None, [chatbot, conversation, box], api_name=False)
