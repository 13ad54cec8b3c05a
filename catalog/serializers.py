"""JSON that keeps times to the microsecond (Django's JSON keeps milliseconds): revisions and backups.

Reverting or restoring must give back every field exactly: a `created_at` cut to the millisecond would be
a change nobody made. The serializer is registered as "revision_json" in settings.SERIALIZATION_MODULES
(the name stored with every revision); backups write their JSON with the encoder.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = json.Deserializer
