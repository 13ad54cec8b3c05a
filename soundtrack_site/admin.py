"""Users and groups are the site admins' alone: superusers, whatever permissions anyone else holds.

A permission on users or groups lets its holder give themselves any other permission, so these
admins ignore permissions and ask for is_superuser (see roles.py and README: Roles and permissions).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from catalog.admin.base import CheckedRelationsMixin


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class SiteAdminUserAdmin(SuperusersOnly, CheckedRelationsMixin, UserAdmin):
    pass


@admin.register(Group)
class SiteAdminGroupAdmin(SuperusersOnly, CheckedRelationsMixin, GroupAdmin):
    pass
