"""Accounts and assignments on the Admin page: create, (de)activate, reset password, role."""

from __future__ import annotations

import streamlit as st

from directory import vocab
from directory.access import accounts
from directory.errors import PermissionDeniedError, ValidationError
from directory.models import User

from .context import store, t
from .widgets import multiselect, selectbox, tm

K = "admin_accounts_"


def accounts_section(admin: User) -> None:
    st.subheader(t("accounts.title"))
    with store() as s:
        users = [s.get(User, u.username) for u in s.users()]
        orgs = {o.id: o.name for o in s.organizations_by_id()}
        assigned = s.assignments()
    _create_form(admin, orgs)
    if not users:
        return
    by_name = {u.username: u for u in users}
    name = selectbox(
        t("accounts.pick"),
        list(by_name),
        key=K + "pick",
        format_func=lambda n: f"{by_name[n].display_name} ({n})",
    )
    user = by_name[name]
    st.caption(
        t(
            "accounts.state",
            role=t("role." + user.role),
            active=t("accounts.active" if user.active else "accounts.inactive"),
        )
    )
    left, mid, right = st.columns(3)
    role = left.selectbox(
        t("account.role"),
        vocab.ROLES,
        index=vocab.ROLES.index(user.role),
        format_func=_role_labels().__getitem__,
        key=f"{K}role_{name}",
    )
    try:
        if role != user.role and left.button(t("accounts.set_role"), key=f"{K}setrole_{name}"):
            with store() as s:
                accounts.set_role(s, admin, name, role)
            st.rerun()
        label = "accounts.deactivate" if user.active else "accounts.reactivate"
        if mid.button(t(label), key=f"{K}active_{name}"):
            with store() as s:
                accounts.set_active(s, admin, name, not user.active)
            st.rerun()
        if right.button(t("accounts.reset"), key=f"{K}reset_{name}"):
            with store() as s:
                password = accounts.reset_password(s, admin, name)
            st.success(t("accounts.password_once"))
            st.code(password, language=None)
    except PermissionDeniedError:
        st.error(t("accounts.not_self"))
    if user.role == "coordinator":
        mine = [o for u, o in assigned if u == name]
        chosen = multiselect(
            t("accounts.assigned"),
            list(orgs),
            default=mine,
            format_func=orgs.get,
            key=f"{K}assigned_{name}",
        )
        if set(chosen) != set(mine) and st.button(
            t("accounts.save_assigned"), key=f"{K}save_assigned_{name}"
        ):
            with store() as s:
                for org in set(chosen) - set(mine):
                    s.assign(name, org, actor=admin.username)
                for org in set(mine) - set(chosen):
                    s.unassign(name, org, actor=admin.username)
            st.rerun()


def _create_form(admin: User, orgs: dict[str, str]) -> None:
    with st.expander(t("accounts.create")), st.form(K + "create"):
        username = st.text_input(t("auth.username"), key=K + "new_username")
        display = st.text_input(t("account.name"), key=K + "new_display")
        role = selectbox(
            t("account.role"),
            vocab.ROLES,
            format_func=_role_labels().__getitem__,
            key=K + "new_role",
        )
        org = selectbox(
            t("account.organization"),
            [""] + list(orgs),
            format_func=lambda o: orgs.get(o, "—"),
            key=K + "new_org",
        )
        go = st.form_submit_button(t("accounts.create"))
    if go:
        try:
            with store() as s:
                _, password = accounts.create_account(
                    s, admin, username.strip(), display.strip(), role, org or None
                )
        except ValidationError as e:
            st.error(t("accounts.invalid." + e.field))
            return
        except accounts.UsernameTakenError:
            st.error(tm("accounts.exists", username=username))
            return
        st.success(tm("accounts.created", username=username))
        st.code(password, language=None)


def _role_labels() -> dict[str, str]:
    # Labels made now, in this run's language: a test harness may format options later.
    return {r: t("role." + r) for r in vocab.ROLES}
