"""The roles text is set in: each names a face, a size and a colour in the profile's ``roles:``.

A module at the base of the pipeline: the profile refuses one that lacks a role or names one
not here, compose gives each span its role, the renderers look its style up. The values are
the profile's keys and the HTML's class names, so a role is written as the string it was.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TITLE = "title"
    BODY = "body"
    HEADING1 = "heading1"
    HEADING2 = "heading2"
    HEADING3 = "heading3"
    HEADING4 = "heading4"
    SIGNATURE = "signature"  # 发文机关署名 and 成文日期
    PAGE_NUMBER = "page_number"
    MARK = "mark"  # 发文机关标志, and the ★ in the red line
    COPY_NUMBER = "copy_number"  # 份号
    SECRECY = "secrecy"  # 密级和保密期限, 紧急程度
    NUMBER = "number"  # 发文字号
    SIGNER_LABEL = "signer_label"  # 签发人：
    SIGNER = "signer"
    ATTACHMENT_LABEL = "attachment_label"  # 附件1 over an attachment's page
    ATTENDANCE_LABEL = "attendance_label"  # 出席/请假/列席
    COLOPHON = "colophon"  # 版记
    TABLE = "table"
    TABLE_HEADER = "table_header"
