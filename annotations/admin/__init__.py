"""Django's admin for the desk: claims are reviewed here through the same service as
everywhere else, users get their role here, admins keep the articles and the verdict scale.

Who may see or change what is asked of annotations.permissions, never of Django's model
permissions alone, so that the admin follows the same rules as the pages, the API and the
commands. Claims are read-only: their content belongs to their authors (through the
service), their status moves only through claim_transition.
"""

from annotations.admin import claims, content, users

__all__ = ["claims", "content", "users"]
