"""Django's admin for the desk: claims are reviewed here through the same service as
everywhere else, users get their role here, admins keep the articles and the verdict scale.

Who may see or change the desk's own pages is asked of annotations.permissions, never of
Django's model permissions alone, so that the admin follows the same rules as the pages, the
API and the commands; the pages of other apps (groups, tokens, sign-in lockouts) keep Django's
model permissions, which the roles carry (roles.GROUP_PERMISSIONS). Claims are read-only:
their content belongs to their authors (through the service), their status moves only
through claim_transition. Every list accepts the filters it declares and no other lookup
(base.DeclaredFiltersOnly).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from annotations.admin import claimants, claims, content, signins, tasks, users

__all__ = ["claimants", "claims", "content", "signins", "tasks", "users"]

# The admin under the desk's name (templates/admin/base_site.html shows it with a link back to
# the desk, which replaces Django's "View site").
admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck"
admin.site.index_title = _("Administration of the desk")
admin.site.site_url = None
