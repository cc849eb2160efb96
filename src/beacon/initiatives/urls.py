from django.urls import path

from beacon.initiatives.views import manage, public

app_name = "initiatives"

urlpatterns = [
    path("", public.initiative_list, name="list"),
    path("new/", manage.create, name="create"),
    path("mine/", public.mine, name="mine"),
    path("<str:code>/", public.detail, name="detail"),
    path("<str:code>/edit/", manage.edit, name="edit"),
    path("<str:code>/archive/", manage.archive, name="archive"),
    path("<str:code>/reopen/", manage.reopen, name="reopen"),
    path("<str:code>/join/", public.join, name="join"),
    path("<str:code>/leave/", public.leave, name="leave"),
    path("<str:code>/report/", public.report, name="report"),
    path("<str:code>/moderate/", manage.moderate, name="moderate"),
    path("<str:code>/members/", manage.members, name="members"),
    path("<str:code>/members/<str:user_code>/decide/", manage.decide_member, name="decide_member"),
    path("<str:code>/members/<str:user_code>/role/", manage.set_role, name="set_role"),
    path("<str:code>/members/<str:user_code>/remove/", manage.remove_member, name="remove_member"),
    path("<str:code>/training/", manage.training, name="training"),
    path("<str:code>/training/<int:pk>/delete/", manage.delete_training, name="delete_training"),
    path("<str:code>/volunteers/", manage.volunteers, name="volunteers"),
    path("<str:code>/volunteers/<str:role_code>/edit/", manage.edit_role, name="edit_role"),
    path("<str:code>/volunteers/<str:role_code>/apply/", public.apply, name="apply"),
    path(
        "<str:code>/offers/<int:pk>/decide/", manage.decide_application, name="decide_application"
    ),
    path(
        "<str:code>/offers/<int:pk>/withdraw/",
        public.withdraw_application,
        name="withdraw_application",
    ),
    path("<str:code>/hours/", manage.hours, name="hours"),
    path("<str:code>/hours/<int:pk>/delete/", manage.delete_hours, name="delete_hours"),
    path("<str:code>/impact/", manage.dashboard, name="dashboard"),
    path("<str:code>/impact.csv", manage.impact_csv, name="impact_csv"),
]
