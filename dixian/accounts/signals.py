"""Keep one group per role with the role's permissions (runs after every migrate)."""

from __future__ import annotations

from typing import Any

from dixian.accounts.roles import ROLE_LABELS, Role

# Model permissions per role, as "app_label.codename".
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COUNTY_ADMIN: [
        "registry.view_full_pii",
        "registry.view_policyparameter",
        "registry.change_policyparameter",
        "registry.add_policyparameter",
    ],
    Role.COUNTY_DEPARTMENT: ["registry.view_policyparameter"],
    Role.TOWNSHIP: ["registry.view_policyparameter"],
    Role.VILLAGE: [],
    Role.CADRE: [],
    Role.UNIT_LEADER: [],
}


def ensure_role_groups(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions of apps migrated after this one do not exist yet: make them now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))

    for role, label in ROLE_LABELS.items():
        group, _ = Group.objects.get_or_create(name=label)
        perms = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
