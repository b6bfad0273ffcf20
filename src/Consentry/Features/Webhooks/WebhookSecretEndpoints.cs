using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Webhooks;

/// <summary>Our extensions: read a consumer's signing secret, and rotate it (HTTP over <see cref="ManageWebhookSecrets"/>).</summary>
internal static class WebhookSecretEndpoints
{
    public static async Task<Results<Ok<WebhookSecretResponse>, CodatError>> Get(
        Guid webhookId, ConsentryDbContext db, SecretProtector secrets, CancellationToken ct) =>
        Answer(await ManageWebhookSecrets.GetAsync(webhookId, db, secrets, ct));

    public static async Task<Results<Ok<WebhookSecretResponse>, CodatError>> Rotate(
        Guid webhookId, ConsentryDbContext db, SecretProtector secrets, TimeProvider time, CancellationToken ct) =>
        Answer(await ManageWebhookSecrets.RotateAsync(webhookId, db, secrets, time, ct));

    private static Results<Ok<WebhookSecretResponse>, CodatError> Answer(Result<string> secret) =>
        secret.IsSuccess ? TypedResults.Ok(new WebhookSecretResponse(secret.Value!)) : new CodatError(secret.Error!);
}
