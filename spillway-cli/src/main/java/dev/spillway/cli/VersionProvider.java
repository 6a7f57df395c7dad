package dev.spillway.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = SpillwayCli.class.getPackage().getImplementationVersion();
    return new String[] {"spillway " + (version == null ? "development build" : version)};
  }
}
