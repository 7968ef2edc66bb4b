"""JSON API of the organisations registry: /api/v1/orgs/..."""

from ninja import Router, Schema

from shuzheng.orgs.models import Region

router = Router(tags=["orgs"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get("/regions", response=list[RegionOut])
def list_regions(request):
    return Region.objects.select_related("parent")
