from rest_framework import serializers

from tessera.api.serializers import Output


class ErasureOutput(Output):
    id = serializers.IntegerField()
    username = serializers.CharField(help_text="erased-<id>")
    is_active = serializers.BooleanField()
