using System.Text.RegularExpressions;
using Consentry.Core.Errors;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary>
/// Experiments on the client's Link pages: list, read with results, start, stop a variant, promote, stop. Each answers
/// the experiment or why not; <see cref="ExperimentsEndpoints"/> (<c>/experiments</c>) and the portal's Experiments page
/// each adapt the answer.
/// </summary>
internal static partial class ManageExperiments
{
    public const int MaxVariants = 5;

    public static async Task<ExperimentList> ListAsync(ConsentryDbContext db, CancellationToken ct)
    {
        var experiments = await db.Experiments.AsNoTracking().OrderByDescending(x => x.Created).ToListAsync(ct);
        var assigned = await AssignedAsync(db, experiments.Select(x => x.Id).ToList(), ct);
        return new ExperimentList([.. experiments.Select(x => View(x, assigned, null))], experiments.Count);
    }

    /// <summary>The experiment with each variant's funnel from its start to its end (or now).</summary>
    public static async Task<Result<ExperimentView>> GetAsync(Guid experimentId, ConsentryDbContext db, ExperimentResults results,
        TimeProvider time, CancellationToken ct)
    {
        var experiment = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == experimentId, ct);
        if (experiment is null)
        {
            return NotFound();
        }

        var from = DateOnly.FromDateTime(experiment.Created);
        var to = DateOnly.FromDateTime(experiment.Ended ?? time.GetUtcNow().UtcDateTime);
        var figures = await results.ForAsync([experiment], from, to, ct);
        return View(experiment, await AssignedAsync(db, [experiment.Id], ct), figures);
    }

    public static async Task<Result<ExperimentView>> CreateAsync(ExperimentRequest? body, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return Error.Validation(string.Join(" ", errors), errors);
        }

        if (await db.Experiments.AnyAsync(x => x.Status == ExperimentStatus.Running, ct))
        {
            return Error.Conflict("An experiment is already running: stop or promote it first (one runs at a time, so no journey is in two).");
        }

        var experiment = new Experiment
        {
            Id = Guid.CreateVersion7(),
            Name = body!.Name!.Trim(),
            Status = ExperimentStatus.Running,
            Created = time.GetUtcNow().UtcDateTime,
            Variants = [.. body.Variants!.Select(v => new ExperimentVariant
            {
                Id = Guid.NewGuid(), Key = v.Key!, Name = v.Name, Weight = v.Weight ?? 1, Texts = v.Texts ?? [],
                CategoryOrder = v.CategoryOrder, OptionalCategories = v.OptionalCategories,
            })],
        };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(ct);
        return View(experiment, [], null);
    }

    /// <summary>Ends the experiment without changing anyone's settings.</summary>
    public static Task<Result<ExperimentView>> StopAsync(Guid experimentId, ConsentryDbContext db, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(db, experimentId, null, (x, _) => End(x, ExperimentStatus.Stopped, time), ct);

    /// <summary>The variant takes no new companies; its companies see the client's own settings; the last one ends the experiment.</summary>
    public static Task<Result<ExperimentView>> StopVariantAsync(Guid experimentId, string variantKey, ConsentryDbContext db,
        TimeProvider time, CancellationToken ct) =>
        ChangeAsync(db, experimentId, variantKey, (x, v) =>
        {
            v!.Stopped = true;
            return x.Variants.All(o => o.Stopped) ? End(x, ExperimentStatus.Stopped, time) : Task.CompletedTask;
        }, ct);

    /// <summary>The variant's settings become the client's Link settings, for everyone, and the experiment ends.</summary>
    public static Task<Result<ExperimentView>> PromoteAsync(Guid experimentId, string variantKey, ConsentryDbContext db,
        CurrentClient current, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(db, experimentId, variantKey, async (x, v) =>
        {
            var client = await db.Clients.FirstAsync(c => c.Id == current.Id, ct);
            var own = client.LinkSettings ?? new LinkSettings();
            var promoted = LinkVariants.Apply(own, v!);
            promoted.CarryConsentVersion(own);
            client.LinkSettings = promoted;
            x.PromotedVariant = v!.Key;
            await End(x, ExperimentStatus.Promoted, time);
        }, ct);

    private static async Task<Result<ExperimentView>> ChangeAsync(ConsentryDbContext db, Guid experimentId, string? variantKey,
        Func<Experiment, ExperimentVariant?, Task> change, CancellationToken ct)
    {
        var experiment = await db.Experiments.FirstOrDefaultAsync(x => x.Id == experimentId, ct);
        var variant = variantKey is null ? null : experiment?.Variants.FirstOrDefault(v => v.Key == variantKey);
        if (experiment is null || (variantKey is not null && variant is null))
        {
            return NotFound();
        }

        if (experiment.Status != ExperimentStatus.Running)
        {
            return Error.Conflict($"The experiment is {experiment.Status.ToString().ToLowerInvariant()}; only a running one can change.");
        }

        if (variant is { Stopped: true })
        {
            return Error.Conflict($"The variant {variant.Key} is stopped.");
        }

        await change(experiment, variant);
        await db.SaveChangesAsync(ct);
        return View(experiment, await AssignedAsync(db, [experiment.Id], ct), null);
    }

    private static Task End(Experiment experiment, ExperimentStatus status, TimeProvider time)
    {
        experiment.Status = status;
        experiment.Ended = time.GetUtcNow().UtcDateTime;
        return Task.CompletedTask;
    }

    private static Error NotFound() => Error.NotFound("No experiment (or variant) with that id exists for this client.");

    private static async Task<Dictionary<Guid, long>> AssignedAsync(ConsentryDbContext db, List<Guid> experimentIds, CancellationToken ct) =>
        await db.ExperimentAssignments.AsNoTracking().Where(a => experimentIds.Contains(a.ExperimentId))
            .GroupBy(a => a.VariantId).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    private static ExperimentView View(Experiment x, Dictionary<Guid, long> assigned, IReadOnlyList<VariantFunnel>? results) =>
        new(x.Id, x.Name, x.Status.ToString(), x.Created, x.Ended, x.PromotedVariant,
            [.. x.Variants.Select(v => new VariantView(v.Key, v.Name, v.Weight, v.Stopped, assigned.GetValueOrDefault(v.Id), v.Texts, v.CategoryOrder, v.OptionalCategories))],
            results);

    internal static List<string> Validate(ExperimentRequest? body)
    {
        var errors = new List<string>();
        if (body is null)
        {
            return ["A JSON body with a name and variants is required."];
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            errors.Add("name is required (at most 100 characters).");
        }

        if (body.Variants is not { Count: >= 2 and <= MaxVariants } variants)
        {
            errors.Add($"variants must list 2 to {MaxVariants} variants (the first is the control).");
            return errors;
        }

        foreach (var (v, i) in variants.Select((v, i) => (v, i)))
        {
            var at = $"variants[{i}]";
            if (v is null)
            {
                errors.Add($"{at} must be an object.");
                continue;
            }

            if (v.Key is null || !KeyPattern().IsMatch(v.Key))
            {
                errors.Add($"{at}.key is required: 1 to 32 lower-case letters, digits or dashes.");
            }

            if (v.Name is { Length: > 100 })
            {
                errors.Add($"{at}.name must be at most 100 characters.");
            }

            if (v.Weight is < 1 or > 100)
            {
                errors.Add($"{at}.weight must be 1 to 100.");
            }

            foreach (var (name, text) in v.Texts ?? [])
            {
                if (!LinkVariants.TextNames.Contains(name))
                {
                    errors.Add($"{at}.texts.{name} is not a Link text (one of {string.Join(", ", LinkVariants.TextNames.Order(StringComparer.Ordinal))}).");
                }
                else if (text is null || text.Length > LinkSettings.MaxText)
                {
                    errors.Add($"{at}.texts.{name} must be a text of at most {LinkSettings.MaxText} characters.");
                }
            }

            foreach (var (list, name) in new[] { (v.CategoryOrder, "categoryOrder"), (v.OptionalCategories, "optionalCategories") })
            {
                if (list is not null && (list.Any(k => !LinkVariants.CategoryKeys.Contains(k)) || list.Distinct().Count() != list.Count))
                {
                    errors.Add($"{at}.{name} may list accounting, banking and commerce, each once.");
                }
            }
        }

        if (variants.Where(v => v?.Key is not null).GroupBy(v => v.Key).Any(g => g.Count() > 1))
        {
            errors.Add("Each variant needs its own key.");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex KeyPattern();
}
