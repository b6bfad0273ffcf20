using Consentry.Core.Persistence;
using Consentry.Features.Monitoring.Experiments;
using Consentry.Features.Portal;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>
/// Monitor › Experiments: start a test of the Link texts and settings, read each variant's funnel and its difference
/// from the control, stop or promote a variant. Uses the same use cases as <c>/experiments</c> (<see cref="ManageExperiments"/>).
/// </summary>
public sealed class ExperimentsModel(ConsentryDbContext db, ExperimentResults results, CurrentClient client, TimeProvider time) : PortalPageModel
{
    public IReadOnlyList<ExperimentView> Experiments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = (await ManageExperiments.ListAsync(db, ct)).Results;
        var detailed = new List<ExperimentView>();
        foreach (var x in list)
        {
            var withResults = await ManageExperiments.GetAsync(x.Id, db, results, time, ct);
            detailed.Add(withResults.IsSuccess ? withResults.Value! : x);
        }

        Experiments = detailed;
    }

    /// <summary>A control (the current settings) against one variant whose texts, category order and optional categories the form sets.</summary>
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? landingTitle, string? landingSubtitle, string? categoryOrder,
        List<string>? optionalCategories, bool changeOptional, CancellationToken ct)
    {
        var texts = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(landingTitle))
        {
            texts["landingTitle"] = landingTitle.Trim();
        }

        if (!string.IsNullOrWhiteSpace(landingSubtitle))
        {
            texts["landingSubtitle"] = landingSubtitle.Trim();
        }

        var order = string.IsNullOrWhiteSpace(categoryOrder) ? null
            : categoryOrder.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.ToLowerInvariant()).ToList();
        var request = new ExperimentRequest(name,
        [
            new VariantRequest("control", "Current settings", 1, null, null, null),
            new VariantRequest("b", "Variant B", 1, texts, order, changeOptional ? optionalCategories ?? [] : null),
        ]);
        return await OutcomeAsync((await ManageExperiments.CreateAsync(request, db, time, ct)).Error, "Experiment started.", () => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostStopVariantAsync(Guid id, string variant, CancellationToken ct) =>
        await OutcomeAsync((await ManageExperiments.StopVariantAsync(id, variant, db, time, ct)).Error, $"Variant {variant} stopped.", () => LoadAsync(ct));

    public async Task<IActionResult> OnPostPromoteAsync(Guid id, string variant, CancellationToken ct) =>
        await OutcomeAsync((await ManageExperiments.PromoteAsync(id, variant, db, client, time, ct)).Error,
            $"Variant {variant} promoted: everyone now sees it.", () => LoadAsync(ct));

    public async Task<IActionResult> OnPostStopAsync(Guid id, CancellationToken ct) =>
        await OutcomeAsync((await ManageExperiments.StopAsync(id, db, time, ct)).Error, "Experiment stopped.", () => LoadAsync(ct));
}
