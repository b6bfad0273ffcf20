using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary>
/// The Link pages' side of experiments: the variant a company sees (assigned and recorded on its first view, the same
/// ever after) and the client's settings with that variant's changes laid over them. Pages keep reading
/// <c>LinkContext.Settings</c>, so a variant's texts reach every place texts come from.
/// </summary>
public sealed class LinkVariants(ConsentryDbContext db, TimeProvider time, Core.Tenancy.IClientContext tenant, Domain.IClientCache clients)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly string[] CategoryKeys = ["accounting", "banking", "commerce"];

    /// <summary>The names a variant may replace: every text of <see cref="LinkTexts"/> (not the consent version, which saving sets).</summary>
    public static readonly IReadOnlySet<string> TextNames = typeof(LinkTexts).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The settings this company sees and the variant it is in (null outside any running variant).</summary>
    public async Task<(LinkSettings Settings, Guid? VariantId)> ForCompanyAsync(Guid companyId, LinkSettings settings, CancellationToken ct)
    {
        // Every Link page asks, and almost always none runs: the client cache holds the answer (a read-only snapshot).
        var experiment = tenant.ClientId is { } clientId
            ? await clients.RunningExperimentAsync(clientId, ct)
            : await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Status == ExperimentStatus.Running, ct);
        if (experiment is null)
        {
            return (settings, null);
        }

        var assigned = await db.ExperimentAssignments.AsNoTracking()
            .Where(a => a.ExperimentId == experiment.Id && a.CompanyId == companyId).Select(a => (Guid?)a.VariantId).FirstOrDefaultAsync(ct);
        var variant = assigned is { } id ? experiment.Variants.FirstOrDefault(v => v.Id == id) : await AssignAsync(experiment, companyId, ct);
        return variant is null or { Stopped: true } ? (settings, null) : (Apply(settings, variant), variant.Id);
    }

    private async Task<ExperimentVariant?> AssignAsync(Experiment experiment, Guid companyId, CancellationToken ct)
    {
        if (VariantAssigner.Choose(experiment.Id, experiment.Variants, companyId) is not { } variant)
        {
            return null;
        }

        var row = new ExperimentAssignment
        {
            ExperimentId = experiment.Id, CompanyId = companyId, VariantId = variant.Id, Assigned = time.GetUtcNow().UtcDateTime,
        };
        db.ExperimentAssignments.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return variant;
        }
        catch (DbUpdateException)
        {
            // Another view of the same company recorded it first: that assignment stands.
            db.Entry(row).State = EntityState.Detached;
            var winner = await db.ExperimentAssignments.AsNoTracking()
                .Where(a => a.ExperimentId == experiment.Id && a.CompanyId == companyId).Select(a => a.VariantId).FirstAsync(ct);
            return experiment.Variants.FirstOrDefault(v => v.Id == winner);
        }
    }

    /// <summary>A copy of the settings with the variant's texts, category order and optional categories.</summary>
    public static LinkSettings Apply(LinkSettings settings, ExperimentVariant variant)
    {
        var node = JsonSerializer.SerializeToNode(settings, Json)!.AsObject();
        var texts = node["texts"] as JsonObject ?? [];
        node["texts"] = texts;
        foreach (var (name, value) in variant.Texts)
        {
            texts[name] = value;
        }

        var copy = node.Deserialize<LinkSettings>(Json)!;
        if (variant.CategoryOrder is { } order)
        {
            copy.CategoryOrder = [.. order];
        }

        if (variant.OptionalCategories is { } optional)
        {
            foreach (var key in CategoryKeys)
            {
                copy.For(Enum.Parse<Core.Connections.SourceType>(key, ignoreCase: true))!.Optional = optional.Contains(key);
            }
        }

        return copy;
    }
}
