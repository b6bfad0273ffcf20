using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Sandbox.Data;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>How a test user behaves at the simulated Intuit login (PRODUCT.md's table, plus the companies each one has).</summary>
internal enum QuickBooksUserKind
{
    Authorizes,
    Cancels,
    FailsTokenExchange,
}

/// <summary>One simulated QuickBooks company: its records, its deletions, and whether it still lets the app in.</summary>
internal sealed class SimulatedCompany(string realmId, string name, string username, UserSeed seed, CompanySize size, DateTimeOffset origin)
{
    private readonly Dictionary<string, List<JsonObject>> _entities = QuickBooksData.Entities.ToDictionary(e => e, e => QuickBooksData.Generate(e, seed, size, origin));
    private readonly List<(string Entity, string Id, DateTimeOffset At)> _deleted = [];
    private JsonObject _info = QuickBooksData.CompanyInfo(seed, realmId, name, origin);

    public string RealmId => realmId;

    public string Name => name;

    public string Username => username;

    /// <summary>The company disconnected the app (Intuit then refuses its tokens with ApplicationAuthorizationFailed).</summary>
    public bool Disconnected { get; set; }

    public object Lock { get; } = new();

    public JsonObject Info
    {
        get { lock (Lock) { return (JsonObject)_info.DeepClone(); } }
    }

    public void Touch(DateTimeOffset now)
    {
        lock (Lock)
        {
            _info = (JsonObject)_info.DeepClone();
            _info["MetaData"]!["LastUpdatedTime"] = QuickBooksData.Timestamp(now);
        }
    }

    /// <summary>Records of <paramref name="entity"/> that <paramref name="match"/> accepts, in Id order (copies).</summary>
    public (List<JsonObject> Page, int Total) Select(string entity, Func<JsonObject, bool> match, int start, int max)
    {
        lock (Lock)
        {
            var all = _entities[entity].Where(match).ToList();
            return ([.. all.Skip(start - 1).Take(max).Select(r => (JsonObject)r.DeepClone())], all.Count);
        }
    }

    /// <summary>Change Data Capture: every record changed or deleted after <paramref name="since"/>.</summary>
    public List<JsonObject> Changes(string entity, DateTimeOffset since)
    {
        lock (Lock)
        {
            var changed = _entities[entity].Where(r => LastUpdated(r) > since).Select(r => (JsonObject)r.DeepClone()).ToList();
            changed.AddRange(_deleted.Where(d => d.Entity == entity && d.At > since).Select(d => new JsonObject
            {
                ["domain"] = "QBO",
                ["status"] = "Deleted",
                ["Id"] = d.Id,
                ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = QuickBooksData.Timestamp(d.At) },
            }));
            return changed;
        }
    }

    /// <summary>Applies <paramref name="change"/> to a record, bumping SyncToken and LastUpdatedTime; false when there is none.</summary>
    public bool Modify(string entity, string id, DateTimeOffset now, Action<JsonObject> change)
    {
        lock (Lock)
        {
            var list = _entities[entity];
            var index = list.FindIndex(r => (string?)r["Id"] == id);
            if (index < 0)
            {
                return false;
            }

            var copy = (JsonObject)list[index].DeepClone();
            change(copy);
            copy["SyncToken"] = (int.Parse((string)copy["SyncToken"]!, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            copy["MetaData"]!["LastUpdatedTime"] = QuickBooksData.Timestamp(now);
            list[index] = copy;
            return true;
        }
    }

    public bool Delete(string entity, string id, DateTimeOffset now)
    {
        lock (Lock)
        {
            if (_entities[entity].RemoveAll(r => (string?)r["Id"] == id) == 0)
            {
                return false;
            }

            _deleted.Add((entity, id, now));
            return true;
        }
    }

    public int Count(string entity)
    {
        lock (Lock)
        {
            return _entities[entity].Count;
        }
    }

    public static DateTimeOffset LastUpdated(JsonObject record) =>
        DateTimeOffset.Parse((string)record["MetaData"]!["LastUpdatedTime"]!, CultureInfo.InvariantCulture);
}

/// <summary>
/// The simulator's users and their companies, made on first use: <c>user_good</c> has one small company,
/// <c>user_multi</c> two (the company chooser), <c>user_big</c> one with the benchmark's volume; <c>user_deny</c> and
/// <c>user_error</c> behave as PRODUCT.md says. <c>name+suffix</c> variants behave like <c>name</c> with data of their own.
/// </summary>
internal sealed partial class QuickBooksCompanies(TimeProvider time)
{
    public const string Password = "pass_good";

    private readonly ConcurrentDictionary<string, IReadOnlyList<SimulatedCompany>> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimulatedCompany> _byRealm = new(StringComparer.Ordinal);

    public static (QuickBooksUserKind Kind, int Companies, CompanySize Size)? Profile(string username)
    {
        var plus = username.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0 && !VariantSuffix().IsMatch(username.AsSpan(plus + 1)))
        {
            return null;
        }

        return (plus < 0 ? username : username[..plus]) switch
        {
            "user_good" => (QuickBooksUserKind.Authorizes, 1, CompanySize.Small),
            "user_multi" => (QuickBooksUserKind.Authorizes, 2, CompanySize.Small),
            "user_big" => (QuickBooksUserKind.Authorizes, 1, CompanySize.Big),
            "user_deny" => (QuickBooksUserKind.Cancels, 1, CompanySize.Small),
            "user_error" => (QuickBooksUserKind.FailsTokenExchange, 1, CompanySize.Small),
            _ => null,
        };
    }

    public static bool SignIn(string username, string password) =>
        Profile(username) is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password));

    /// <summary>The user's companies (made on first use, deterministic per username).</summary>
    public IReadOnlyList<SimulatedCompany> For(string username) => _byUser.GetOrAdd(username, user =>
    {
        var (_, count, size) = Profile(user) ?? (QuickBooksUserKind.Authorizes, 1, CompanySize.Small);
        var origin = time.GetUtcNow();
        var companies = Enumerable.Range(0, count).Select(i =>
        {
            var seed = UserSeed.For("qhyg", $"{user}#{i}");
            var rng = seed.For(99, 0);
            var name = $"{rng.Pick(Words.CompanyFirst)} {rng.Pick(Words.CompanySecond)}";
            var realm = "9130" + string.Concat(BitConverter.GetBytes(seed.Value).Select(b => (b % 10).ToString(CultureInfo.InvariantCulture))) + "4" + i.ToString(CultureInfo.InvariantCulture) + "17";
            return new SimulatedCompany(realm, name, user, seed, size, origin);
        }).ToList();
        foreach (var company in companies)
        {
            _byRealm[company.RealmId] = company;
        }

        return companies;
    });

    public SimulatedCompany? Find(string realmId) => _byRealm.GetValueOrDefault(realmId);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariantSuffix();
}
