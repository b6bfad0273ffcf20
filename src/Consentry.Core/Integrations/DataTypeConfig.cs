using Consentry.Core.Tenancy;

namespace Consentry.Core.Integrations;

/// <summary>What a <see cref="DataTypeConfig"/> configures.</summary>
public enum DataTypeConfigKind
{
    /// <summary>Codat's supplemental data: extra platform fields added to a standard data type's records.</summary>
    Supplemental,

    /// <summary>Codat's custom data type: records read from a platform endpoint the client names.</summary>
    Custom,
}

/// <summary>
/// A client's configuration of one platform's data type: supplemental data of a standard type (<see cref="Name"/> is
/// the data type) or a custom data type (<see cref="Name"/> is its identifier). <see cref="Json"/> is Codat's
/// configuration body as the client sent it, so it is answered back unchanged.
/// </summary>
public sealed class DataTypeConfig : IClientOwned
{
    public Guid ClientId { get; set; }

    public required string PlatformKey { get; set; }

    public DataTypeConfigKind Kind { get; set; }

    public required string Name { get; set; }

    public required string Json { get; set; }

    public DateTime Updated { get; set; }
}
