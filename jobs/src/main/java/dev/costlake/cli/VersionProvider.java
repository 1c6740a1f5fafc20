package dev.costlake.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports costlake's version and the Spark it runs on. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
      "costlake " + (version == null ? "(development build)" : version),
      "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
    };
  }
}
