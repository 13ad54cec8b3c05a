from django.contrib import admin  # noqa: F401 - the reviews issue registers its models here
