"""The forget concern: propagation before the build, verification after it, its job and the
sensor that starts it."""

from dagster import Definitions

from orchestration.defs.forget.assets import forget_propagation, forget_verification
from orchestration.defs.forget.jobs import forget_propagation_job
from orchestration.defs.forget.sensors import forget_request_sensor

defs = Definitions(
    assets=[forget_propagation, forget_verification],
    jobs=[forget_propagation_job],
    sensors=[forget_request_sensor],
)
