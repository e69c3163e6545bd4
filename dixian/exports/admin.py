from django.contrib import admin

from dixian.exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "format", "status", "row_count", "full_pii"]
    list_filter = ["status", "format", "full_pii"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):  # jobs are made by the export pages only
        return False
