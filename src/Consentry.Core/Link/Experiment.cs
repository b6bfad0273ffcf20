using Consentry.Core.Tenancy;

namespace Consentry.Core.Link;

public enum ExperimentStatus
{
    Running,
    Stopped,
    Promoted,
}

/// <summary>
/// A test of the client's Link texts and settings: companies are split between its variants by a stable hash of the
/// experiment and company ids, and stay in the variant they first saw. At most one experiment of a client runs at a time,
/// so a company's journey is never shaped by two.
/// </summary>
public sealed class Experiment : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public required string Name { get; set; }

    public ExperimentStatus Status { get; set; }

    public List<ExperimentVariant> Variants { get; set; } = [];

    /// <summary>The key of the variant whose settings became everyone's, when promoted.</summary>
    public string? PromotedVariant { get; set; }

    public DateTime Created { get; set; }

    public DateTime? Ended { get; set; }
}

/// <summary>
/// One arm of an experiment: what it changes in the client's Link settings (nothing, for a control). Its own id names
/// it in journey events and the rollups, so renaming a key never splits its figures.
/// </summary>
public sealed class ExperimentVariant
{
    public Guid Id { get; set; }

    public required string Key { get; set; }

    public string? Name { get; set; }

    /// <summary>Relative share of new companies (1–100).</summary>
    public int Weight { get; set; } = 1;

    /// <summary>A stopped variant takes no new companies, and those already in it see the client's own settings again.</summary>
    public bool Stopped { get; set; }

    /// <summary>Texts that replace the client's (keys are <see cref="LinkTexts"/>' names in camelCase: landingTitle…).</summary>
    public Dictionary<string, string> Texts { get; set; } = [];

    /// <summary>The categories' order on the connect page (accounting, banking, commerce); null keeps the client's.</summary>
    public List<string>? CategoryOrder { get; set; }

    /// <summary>Exactly which categories are optional; null keeps the client's.</summary>
    public List<string>? OptionalCategories { get; set; }
}

/// <summary>Which variant a company was shown first (its sticky assignment), recorded on its first Link view.</summary>
public sealed class ExperimentAssignment : IClientOwned
{
    public Guid ClientId { get; set; }

    public Guid ExperimentId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid VariantId { get; set; }

    public DateTime Assigned { get; set; }
}
