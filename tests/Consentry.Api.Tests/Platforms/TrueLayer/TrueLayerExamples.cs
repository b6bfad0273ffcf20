using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// Examples from TrueLayer's public Data API v1 reference (https://docs.truelayer.com/openapi/data-api-v1.json and the
/// pages generated from it: "Connection metadata" /me, "Accounts", "Balance", "Transactions", "Pending transactions",
/// "Cards", "Card balance", "Info"; the auth server's token answer from "Exchange the code for an access token";
/// the error body from "Data API errors" https://docs.truelayer.com/docs/data-api-errors; the re-authentication answer
/// from "Extend the consent" https://docs.truelayer.com/docs/reauthenticate-users). No TrueLayer document is kept
/// under shared/reference, so the simulator is held to these shapes: every property of an example must be in the
/// simulator's answer with the same JSON kind.
/// </summary>
public static class TrueLayerExamples
{
    public const string Token = """
        {"access_token":"JWT-ACCESS-TOKEN-HERE","expires_in":3600,"token_type":"Bearer","refresh_token":"REFRESH-TOKEN-HERE",
         "scope":"info accounts balance cards transactions direct_debits standing_orders offline_access"}
        """;

    public const string Me = """
        {"results":[{"client_id":"sandbox-clientid","credentials_id":"6L/Ll+CvP4fG7Xq8yJaKbGgMT1wHhdsC9HjNUU7Bf3k=",
          "consent_status":"Authorised","consent_status_updated_at":"2023-05-04T09:48:05.5766Z","consent_created_at":"2023-05-04T09:48:05.5766Z",
          "consent_expires_at":"2023-08-02T09:48:05Z",
          "provider":{"display_name":"MOCK","logo_uri":"https://truelayer-client-logos.s3-eu-west-1.amazonaws.com/banks/banks-icons/mock-icon.svg","provider_id":"mock"},
          "scopes":["info","accounts","balance","cards","transactions","direct_debits","standing_orders","offline_access"],"privacy_policy":"Feb2019"}],
         "status":"Succeeded"}
        """;

    public const string Info = """
        {"results":[{"full_name":"John Doe","date_of_birth":"1984-02-21T00:00:00",
          "addresses":[{"address":"1 Market Street","city":"San Francisco","state":"CA","zip":"94103","country":"US"}],
          "emails":["john@doe.com"],"phones":["02079460581"],"update_timestamp":"2017-02-07T17:29:24.740802Z"}],"status":"Succeeded"}
        """;

    public const string Accounts = """
        {"results":[{"update_timestamp":"2017-02-07T17:29:24.740802Z","account_id":"f1234560abf9f57287637624def390871",
          "account_type":"TRANSACTION","display_name":"Club Lloyds","currency":"GBP",
          "account_number":{"iban":"GB35LOYD12345678901234","number":"12345678","sort_code":"12-34-56","swift_bic":"LOYDGB2L"},
          "provider":{"provider_id":"lloyds","logo_uri":"https://auth.truelayer.com/img/banks/logos/lloyds@2x.png","display_name":"Lloyds Bank"}}],
         "status":"Succeeded"}
        """;

    public const string Balance = """
        {"results":[{"currency":"GBP","available":1161.2,"current":1161.2,"overdraft":1000,"update_timestamp":"2017-02-07T17:33:30.001222Z"}],"status":"Succeeded"}
        """;

    public const string Transactions = """
        {"results":[{"transaction_id":"03c333979b729315545816aaa365c33f","timestamp":"2018-03-06T00:00:00","description":"GOOGLE PLAY STORE",
          "amount":-2.99,"currency":"GBP","transaction_type":"DEBIT","transaction_category":"PURCHASE",
          "transaction_classification":["Entertainment","Games"],"merchant_name":"Google play",
          "running_balance":{"amount":1238.60,"currency":"GBP"},
          "meta":{"bank_transaction_id":"9882ks-00js","provider_transaction_category":"DEB"}}],"status":"Succeeded"}
        """;

    public const string PendingTransactions = """
        {"results":[{"transaction_id":"a15d8156569ba848d84c07c34d291bca","timestamp":"2018-03-06T00:00:00","description":"SAINSBURYS",
          "amount":-24.99,"currency":"GBP","transaction_type":"DEBIT","transaction_category":"PURCHASE",
          "transaction_classification":["Shopping","Groceries"],"merchant_name":"Sainsburys"}],"status":"Succeeded"}
        """;

    public const string Cards = """
        {"results":[{"account_id":"f1234560abf9f57287637624def390871","card_network":"VISA","card_type":"CREDIT","currency":"GBP",
          "display_name":"Club Lloyds card","partial_card_number":"1234","name_on_card":"A. N. Other","valid_from":"2018-01","valid_to":"2022-01",
          "update_timestamp":"2017-02-07T17:29:24.740802Z",
          "provider":{"provider_id":"lloyds","logo_uri":"https://auth.truelayer.com/img/banks/logos/lloyds@2x.png","display_name":"Lloyds Bank"}}],
         "status":"Succeeded"}
        """;

    public const string CardBalance = """
        {"results":[{"available":3279.0,"currency":"GBP","current":20.0,"credit_limit":3300,"last_statement_balance":420.0,
          "last_statement_date":"2017-01-28","payment_due":5.0,"payment_due_date":"2017-01-31","update_timestamp":"2017-02-07T17:33:30.001222Z"}],
         "status":"Succeeded"}
        """;

    public const string Error = """
        {"error_description":"Feature not supported by the provider","error":"endpoint_not_supported","error_details":{}}
        """;

    public const string ReauthUri = """
        {"result":"https://auth.truelayer.com/?response_type=code&client_id=test&redirect_uri=https://console.truelayer.com/redirect-page","status":"Succeeded"}
        """;

    /// <summary>Properties TrueLayer's reference marks optional (not every bank or transaction has them): absent is fine.</summary>
    private static readonly HashSet<string> Optional = ["merchant_name", "running_balance", "meta", "overdraft", "swift_bic", "iban"];

    /// <summary>Where <paramref name="actual"/> lacks a property of <paramref name="example"/> or has it with another JSON kind.</summary>
    public static List<string> Differences(string example, JsonNode? actual)
    {
        var differences = new List<string>();
        Compare(JsonNode.Parse(example), actual, "$", differences);
        return differences;
    }

    private static void Compare(JsonNode? example, JsonNode? actual, string path, List<string> differences)
    {
        var expected = example?.GetValueKind() ?? JsonValueKind.Null;
        var kind = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (Normalise(expected) != Normalise(kind))
        {
            differences.Add($"{path}: {expected} in TrueLayer's example, {kind} in the simulator's answer");
            return;
        }

        if (example is JsonObject o)
        {
            foreach (var (name, value) in o)
            {
                if (actual![name] is not null || !Optional.Contains(name))
                {
                    Compare(value, actual[name], $"{path}.{name}", differences);
                }
            }
        }
        else if (example is JsonArray a && a.Count > 0)
        {
            var items = actual!.AsArray();
            if (items.Count == 0 && path == "$.results")
            {
                differences.Add($"{path}: empty in the simulator's answer");
            }

            foreach (var item in items)
            {
                Compare(a[0], item, $"{path}[]", differences);
            }
        }
    }

    private static JsonValueKind Normalise(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : kind;
}
