from django.urls import path

from beacon.accounts.views import auth, settings

app_name = "accounts"

urlpatterns = [
    path("signup/", auth.signup, name="signup"),
    path("verify/<str:code>/<str:token>/", auth.verify, name="verify"),
    path("verify/again/", auth.resend_verification, name="resend"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", settings.home, name="home"),
    path("confirm-password/", settings.reauth, name="reauth"),
    path("password/", settings.PasswordChangeView.as_view(), name="password_change"),
    path("email/", settings.email_change, name="email_change"),
    path("email/confirm/<str:token>/", settings.email_confirm, name="email_confirm"),
    path("my-data/", settings.download_data, name="download_data"),
    path("close/", settings.close_account, name="close"),
]
