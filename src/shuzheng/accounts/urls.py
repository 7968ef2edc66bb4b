from django.contrib.auth import views as auth_views
from django.urls import path

from shuzheng.accounts import views
from shuzheng.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: a link or an image cannot sign anybody out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("me/", views.me, name="me"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<str:prefix>/revoke/", views.token_revoke, name="token_revoke"),
]
