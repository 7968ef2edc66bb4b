from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "shuzheng.catalog"
    verbose_name = _("Data catalog")

    def ready(self) -> None:
        # Imported here, not at the top: the index source uses models, which load after
        # the apps.
        from shuzheng.catalog import indexing
        from shuzheng.search.sources import register_index_source

        register_index_source("catalog.datasets", indexing.dataset_index_items)
