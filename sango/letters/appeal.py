"""教示: the appeal notice an adverse decision letter must carry.

行政不服審査法 第82条 第1項 requires the letter to say that a 審査請求 may be made, to whom and
within what period (第18条: 3か月 from the day the person learnt of the decision, and never
after 1年 from the decision); 行政事件訴訟法 第46条 第1項 requires it to name the defendant of a
取消訴訟 and its period (第14条: 6か月 from learning of the decision, or of the 裁決 when a
審査請求 was made; never after 1年). The wording follows the standard text municipalities set
in their 教示の文の標準を定める規則 for decisions open to both (審査請求 and 取消訴訟).
"""

from __future__ import annotations


def appeal_notice(*, appeal_to: str, municipality: str, representative: str) -> tuple[str, ...]:
    """The paragraphs of the 教示, numbered as printed.

    ``appeal_to`` hears the 審査請求 (the issuer, when the municipality has no other body);
    ``municipality`` is the defendant of a 取消訴訟 and ``representative`` represents it in court
    (地方自治法 第147条: the mayor).
    """
    return (
        f"1　この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して"
        f"3か月以内に、{appeal_to}に対して審査請求をすることができます。",
        f"2　この決定については、上記1の審査請求のほか、この決定があったことを知った日の翌日から"
        f"起算して6か月以内に、{municipality}を被告として（訴訟において{municipality}を代表する者は"
        f"{representative}となります。）、この決定の取消しを求める訴えを提起することができます。"
        "ただし、上記1の審査請求をした場合には、この決定の取消しを求める訴えは、その審査請求に"
        "対する裁決があったことを知った日の翌日から起算して6か月以内に提起することができます。",
        "3　ただし、上記の期間が経過する前であっても、この決定（審査請求をした場合には、その審査"
        "請求に対する裁決）の日の翌日から起算して1年を経過した場合は、審査請求をすることや"
        "この決定の取消しを求める訴えを提起することができなくなります。なお、正当な理由がある"
        "ときは、上記の期間やこの決定（裁決）の日の翌日から起算して1年を経過した後であっても、"
        "審査請求をすることやこの決定の取消しを求める訴えを提起することが認められる場合が"
        "あります。",
    )
