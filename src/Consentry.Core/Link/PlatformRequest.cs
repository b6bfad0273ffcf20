using Consentry.Core.Tenancy;

namespace Consentry.Core.Link;

/// <summary>
/// A customer's "can't find yours?" answer on the Link page: the platform they use that the client does not offer. The
/// portal lists them by platform, so the client sees which integration to enable (or ask for) next.
/// </summary>
public sealed class PlatformRequest : IClientOwned
{
    public const int MaxNameLength = 100;

    public const int MaxNoteLength = 500;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    /// <summary><c>accounting</c>, <c>banking</c> or <c>commerce</c>: the category the customer looked in.</summary>
    public required string Category { get; set; }

    /// <summary>As the customer typed it (trimmed); grouped case-insensitively.</summary>
    public required string PlatformName { get; set; }

    public string? Note { get; set; }

    /// <summary>The language the page was shown in (<c>en</c>, <c>fr</c>…).</summary>
    public required string Locale { get; set; }

    public DateTime Created { get; set; }
}
