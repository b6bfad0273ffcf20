using Consentry.Core.Tenancy;

namespace Consentry.Core.Monitoring;

/// <summary>
/// That a company reached a step of the auth flow, once per scope: <c>""</c> (the whole journey), <c>c:Accounting</c>
/// (a category) or <c>i:sbac</c> (an integration). Inserted at most once (primary key), so the daily counters it feeds
/// count distinct companies. <see cref="Day"/> is the company's cohort: the UTC day its journey started.
/// </summary>
public sealed class JourneyMark : IClientOwned
{
    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public required string Scope { get; set; }

    public required string Mark { get; set; }

    public DateOnly Day { get; set; }
}

/// <summary>How many companies whose journey started on <see cref="Day"/> reached <see cref="Mark"/> in <see cref="Scope"/>.</summary>
public sealed class JourneyDailyCount : IClientOwned
{
    public Guid ClientId { get; set; }

    public DateOnly Day { get; set; }

    public required string Scope { get; set; }

    public required string Mark { get; set; }

    public long Count { get; set; }
}
