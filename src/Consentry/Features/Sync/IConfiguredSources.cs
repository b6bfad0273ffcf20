using Consentry.Connectors;

namespace Consentry.Features.Sync;

/// <summary>
/// The client's configurations of a data type, applied to the platform's connector before a dataset is read (custom
/// data types and supplemental data: <c>Features/CustomData</c>'s <c>ConfiguredSources</c>, registered by that
/// feature). Sync defines the seam, so the feature that configures reads uses Sync and Sync uses no feature above it.
/// </summary>
public interface IConfiguredSources
{
    /// <summary>The connector to read <paramref name="dataType"/> through: <paramref name="connector"/> itself when nothing is configured.</summary>
    Task<IPlatformConnector> ForAsync(IPlatformConnector connector, string platformKey, string dataType, CancellationToken ct);
}
