using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary>
/// Our extension: experiments on the client's Link pages (<c>/experiments</c>), HTTP over <see cref="ManageExperiments"/>
/// (which the portal's Experiments page uses too).
/// </summary>
public static class ExperimentsEndpoints
{
    public static RouteGroupBuilder MapExperimentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");
        group.MapGet("", List).WithName("list-experiments");
        group.MapPost("", Create).WithName("create-experiment");
        group.MapGet("/{experimentId:guid}", Get).WithName("get-experiment");
        group.MapPost("/{experimentId:guid}/stop", Stop).WithName("stop-experiment");
        group.MapPost("/{experimentId:guid}/variants/{variantKey}/stop", StopVariant).WithName("stop-experiment-variant");
        group.MapPost("/{experimentId:guid}/variants/{variantKey}/promote", Promote).WithName("promote-experiment-variant");
        return api;
    }

    private static async Task<Ok<ExperimentList>> List(ConsentryDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ManageExperiments.ListAsync(db, ct));

    private static async Task<Results<Ok<ExperimentView>, CodatError>> Get(Guid experimentId, ConsentryDbContext db, ExperimentResults results,
        TimeProvider time, CancellationToken ct) =>
        Answer(await ManageExperiments.GetAsync(experimentId, db, results, time, ct));

    private static async Task<Results<Created<ExperimentView>, CodatError>> Create(ExperimentRequest? body, ConsentryDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var created = await ManageExperiments.CreateAsync(body, db, time, ct);
        return created.IsSuccess ? TypedResults.Created($"/experiments/{created.Value!.Id}", created.Value) : new CodatError(created.Error!);
    }

    private static async Task<Results<Ok<ExperimentView>, CodatError>> Stop(Guid experimentId, ConsentryDbContext db, TimeProvider time,
        CancellationToken ct) =>
        Answer(await ManageExperiments.StopAsync(experimentId, db, time, ct));

    private static async Task<Results<Ok<ExperimentView>, CodatError>> StopVariant(Guid experimentId, string variantKey, ConsentryDbContext db,
        TimeProvider time, CancellationToken ct) =>
        Answer(await ManageExperiments.StopVariantAsync(experimentId, variantKey, db, time, ct));

    private static async Task<Results<Ok<ExperimentView>, CodatError>> Promote(Guid experimentId, string variantKey, ConsentryDbContext db,
        CurrentClient current, TimeProvider time, CancellationToken ct) =>
        Answer(await ManageExperiments.PromoteAsync(experimentId, variantKey, db, current, time, ct));

    private static Results<Ok<ExperimentView>, CodatError> Answer(Result<ExperimentView> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value!) : new CodatError(result.Error!);
}
