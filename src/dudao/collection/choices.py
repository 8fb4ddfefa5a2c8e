"""Enumerations of the collection app."""

from django.db import models


class PeriodStatus(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已关闭"


class SubmissionStatus(models.TextChoices):
    """未填报 is the absence of a submission; the others are stored."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class ChangeAction(models.TextChoices):
    SAVE = "save", "保存"
    SUBMIT = "submit", "提交"
    RETURN = "return", "退回"
    APPROVE = "approve", "通过"
    REOPEN = "reopen", "重新打开"
    IMPORT = "import", "导入"
    UPLOAD = "upload", "上传证明材料"


NOT_STARTED_LABEL = "未填报"
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
