using System.Security.Cryptography;
using System.Text;
using Consentry.Core.Idempotency;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on the endpoints marked <see cref="IdempotencyEndpoints.WithIdempotency{TBuilder}"/>: the same
/// key and request replay the first response; the same key with another request gets 422; a duplicate while the first
/// is still running gets 409. Keys are per client and live in the database, so every instance sees them.
/// </summary>
/// <remarks>
/// Two steps, so there is never a half state:
/// <list type="number">
/// <item>Reserve: insert the key as in flight, in its own short statement. The primary key (client, key) lets exactly
/// one request win; the others read the row and answer 409, 422 or the replay.</item>
/// <item>Execute: one transaction on the request's own DbContext wraps the endpoint (whose SaveChanges join it) and the
/// update that stores the response. Both commit together or neither does. If the endpoint fails (any non-2xx answer,
/// or an exception) the transaction rolls back and the reservation is deleted, so a retry runs afresh. If the process
/// dies, the transaction dies with it and the reservation's lease runs out; a retry then takes it over. The storing
/// update requires the reservation's own lease token, so a request that outlived its lease and was taken over rolls
/// back instead of creating twice.</item>
/// </list>
/// Written by hand: ASP.NET Core has no idempotency middleware, and the packages that do keep keys in a cache, not in
/// the transaction of the create.
/// </remarks>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxAttempts = 3;

    public async Task InvokeAsync(HttpContext context, ConsentryDbContext db, IClientContext tenant)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentMetadata>() is null
            || !context.Request.Headers.TryGetValue(Header, out var values)
            || tenant.ClientId is not { } clientId)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (values.Count != 1 || !IsValidKey(key))
        {
            await ErrorMapping.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The {Header} header must be 1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters, sent once.");
            return;
        }

        var ct = context.RequestAborted;
        var hash = await HashRequestAsync(context.Request, ct);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var reservation = await ReserveAsync(db, clientId, key, hash, now, ct);
            switch (reservation)
            {
                case Reservation.Won won:
                    await ExecuteAsync(context, db, key, won.LeaseToken);
                    return;
                case Reservation.Held { Record: var held } when !CryptographicOperations.FixedTimeEquals(held.RequestHash, hash):
                    await ErrorMapping.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
                        $"This {Header} was already used with a different request. Use a new key for a new request.");
                    return;
                case Reservation.Held { Record.State: IdempotencyState.Completed } completed:
                    await ReplayAsync(context, completed.Record);
                    return;
                case Reservation.Held { Record: var held } when held.LeaseUntil <= now:
                    if (await TakeOverAsync(db, held, now, ct) is { } token)
                    {
                        await ExecuteAsync(context, db, key, token);
                        return;
                    }

                    break;
                case Reservation.Held:
                    await ErrorMapping.WriteAsync(context, StatusCodes.Status409Conflict,
                        $"A request with this {Header} is still being processed. Retry after it has finished.");
                    return;
                default:
                    // The row vanished between the insert and the read (it had expired): try again.
                    continue;
            }
        }

        await ErrorMapping.WriteAsync(context, StatusCodes.Status409Conflict, $"This {Header} is busy. Retry shortly.");
    }

    private abstract record Reservation
    {
        public sealed record Won(Guid LeaseToken) : Reservation;

        public sealed record Held(IdempotencyRecord Record) : Reservation;

        public sealed record Gone : Reservation;
    }

    /// <summary>Inserts the key as in flight; if another request has it, reads that row instead.</summary>
    private async Task<Reservation> ReserveAsync(
        ConsentryDbContext db, Guid clientId, string key, byte[] hash, DateTime now, CancellationToken ct)
    {
        // An expired key is free again (the clean-up job may not have run yet).
        await db.IdempotencyRecords.Where(r => r.Key == key && r.Expires <= now).ExecuteDeleteAsync(ct);

        // Read first, so a replay or a known duplicate does not cost a failed insert (and an error in the EF log);
        // the insert below still decides the race between two first requests.
        if (await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, ct) is { } known)
        {
            return new Reservation.Held(known);
        }

        var record = new IdempotencyRecord
        {
            ClientId = clientId,
            Key = key,
            RequestHash = hash,
            State = IdempotencyState.InFlight,
            LeaseToken = Guid.NewGuid(),
            LeaseUntil = now.AddSeconds(options.Value.InFlightLeaseSeconds),
            Created = now,
            Expires = now.AddHours(options.Value.RetentionHours),
        };
        var entry = db.IdempotencyRecords.Add(record);
        try
        {
            // Nothing else is tracked yet: the endpoint has not run.
            await db.SaveChangesAsync(ct);
            return new Reservation.Won(record.LeaseToken);
        }
        catch (DbUpdateException)
        {
            // The key exists (any other failure shows up again in the read below).
        }
        finally
        {
            entry.State = EntityState.Detached;
        }

        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, ct);
        return existing is null ? new Reservation.Gone() : new Reservation.Held(existing);
    }

    /// <summary>Takes over a reservation whose holder outlived its lease (its process most likely died).</summary>
    private async Task<Guid?> TakeOverAsync(ConsentryDbContext db, IdempotencyRecord abandoned, DateTime now, CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var leaseUntil = now.AddSeconds(options.Value.InFlightLeaseSeconds);
        var taken = await db.IdempotencyRecords
            .Where(r => r.Key == abandoned.Key && r.State == IdempotencyState.InFlight && r.LeaseToken == abandoned.LeaseToken)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseToken, token).SetProperty(r => r.LeaseUntil, leaseUntil), ct);
        return taken == 1 ? token : null;
    }

    /// <summary>Runs the endpoint and stores its answer in one transaction (see the remarks on the class).</summary>
    private async Task ExecuteAsync(HttpContext context, ConsentryDbContext db, string key, Guid leaseToken)
    {
        if (context.RequestServices.GetService<IdempotencyProbe>()?.AfterReserved is { } probe)
        {
            await probe(context);
        }

        var ct = context.RequestAborted;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await using (transaction)
        {
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            catch
            {
                context.Response.Body = original;
                await transaction.RollbackAsync(CancellationToken.None);
                await ReleaseAsync(db, key, leaseToken);
                throw;
            }

            context.Response.Body = original;
            var status = context.Response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var body = buffer.ToArray();
                var contentType = context.Response.ContentType;
                var location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
                var stored = await db.IdempotencyRecords
                    .Where(r => r.Key == key && r.State == IdempotencyState.InFlight && r.LeaseToken == leaseToken)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.State, IdempotencyState.Completed)
                        .SetProperty(r => r.StatusCode, status)
                        .SetProperty(r => r.ContentType, contentType)
                        .SetProperty(r => r.Location, location)
                        .SetProperty(r => r.Body, body), ct);
                if (stored != 1)
                {
                    // Our lease ran out and another request took the key over: undo, so only one of us creates.
                    await transaction.RollbackAsync(CancellationToken.None);
                    context.Response.Clear();
                    await ErrorMapping.WriteAsync(context, StatusCodes.Status409Conflict,
                        $"This request took longer than its {Header} reservation and was undone; a retry holds the key now.");
                    return;
                }

                await transaction.CommitAsync(ct);
            }
            else
            {
                // A failed create changes nothing and keeps no key: the client may fix the request and retry with it.
                await transaction.RollbackAsync(CancellationToken.None);
                await ReleaseAsync(db, key, leaseToken);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    private static Task<int> ReleaseAsync(ConsentryDbContext db, string key, Guid leaseToken) =>
        db.IdempotencyRecords.Where(r => r.Key == key && r.LeaseToken == leaseToken).ExecuteDeleteAsync(CancellationToken.None);

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        context.Response.StatusCode = record.StatusCode ?? StatusCodes.Status200OK;
        context.Response.Headers[ReplayedHeader] = "true";
        if (record.ContentType is not null)
        {
            context.Response.ContentType = record.ContentType;
        }

        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        if (record.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>SHA-256 of the method, path, query and the raw body (buffered, so the endpoint can still read it).</summary>
    private static async Task<byte[]> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path.Value}{request.QueryString.Value}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= IdempotencyRecord.MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
}
