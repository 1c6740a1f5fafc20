"""costlake on Airflow: the hourly and the nightly job as two DAGs, each one spark-submit of the cluster jar.

Copy this file into your DAGs folder and set the constants below. Needs the Spark provider
(apache-airflow-providers-apache-spark) and an Airflow connection SPARK_CONN_ID whose host is your
master (spark://host:7077, yarn, k8s://https://..., or local[*]); see docs/deploy.md.

Why two DAGs and max_active_runs=1: each DAG runs one job at a time, so a slow hourly never overlaps
the next hourly. The hourly and the nightly can still overlap each other (the nightly starts at 00:30
while the 00:05 hourly may be running); that is safe: every costlake job takes the lakehouse lock
(lake.path/_costlake/lock) and the second one waits for it (jobs.lock-wait, 30 min by default), then runs.
"""

import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# --- set these ---------------------------------------------------------------------------------
JAR = "/opt/costlake/costlake-0.1.0-SNAPSHOT.jar"  # jobs/target/costlake-0.1.0-SNAPSHOT.jar
CONFIG = "/etc/costlake/costlake.conf"  # raw.path, lake.path, postgres, budgets, alerts
SPARK_CONN_ID = "spark_default"
# Delta is provided by the cluster: leave DELTA_PACKAGES empty where it is installed (Databricks,
# EMR with Delta enabled, an image with the Delta jars in $SPARK_HOME/jars).
DELTA_PACKAGES = "io.delta:delta-spark_2.13:4.4.0"
# The Java 17 module flags Spark needs (bin/jvm-flags), for executors; the driver gets them from
# spark-submit. Timezone: costlake's SQL runs in UTC whatever the machine's zone.
JAVA_OPTIONS = (
    "-Duser.timezone=UTC -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
)
SPARK_CONF = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    # About 2-3 x the executor cores; AQE coalesces what is too small.
    "spark.sql.shuffle.partitions": "64",
    "spark.driver.extraJavaOptions": JAVA_OPTIONS,
    "spark.executor.extraJavaOptions": JAVA_OPTIONS,
}
# ------------------------------------------------------------------------------------------------


def costlake_task(task_id, *args):
    """One costlake subcommand as one spark-submit; its exit code (0 ok, 1 failed, 2 bad config) fails the task."""
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id=SPARK_CONN_ID,
        application=JAR,
        java_class="dev.costlake.Main",
        packages=DELTA_PACKAGES or None,
        conf=SPARK_CONF,
        name=f"costlake {task_id}",
        application_args=[*args, "--config", CONFIG],
        # A run that waits for the lock and then works can take a while; never run two of one DAG.
        execution_timeout=pendulum.duration(hours=2),
    )


default_args = {
    "owner": "data-platform",
    # Re-running a costlake job is safe (idempotent), so a retry after a transient failure is too.
    "retries": 1,
    "retry_delay": pendulum.duration(minutes=5),
}

with DAG(
    dag_id="costlake_hourly",
    description="Ingest new raw cost events, rebuild the rollups of the hours they touched",
    schedule="5 * * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["costlake"],
) as hourly_dag:
    # --as-of pins the run to its interval, so a retry or a late start judges the same hour.
    costlake_task("hourly", "hourly", "--as-of", "{{ data_interval_end.strftime('%Y-%m-%dT%H:%M:%SZ') }}")

with DAG(
    dag_id="costlake_nightly",
    description="Close yesterday: rebuild it whole, forecasts, budgets, OPTIMIZE and VACUUM",
    schedule="30 0 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    tags=["costlake"],
) as nightly_dag:
    costlake_task("nightly", "nightly", "--as-of", "{{ data_interval_end.strftime('%Y-%m-%d') }}")
