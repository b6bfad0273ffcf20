namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// Intuit publishes no OpenAPI document for QuickBooks Online: these are the sample responses of its public API reference
/// (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/{entity}, "Read …" → "Returns"), as
/// published, trimmed only of fields the example repeats. The contract tests hold the simulator to them; the mapping tests
/// map them. Where a sample is not verbatim, its comment says where its shape is documented.
/// </summary>
public static class IntuitExamples
{
    /// <summary>all-entities/account, "Read an account".</summary>
    public const string Account = """
        {"Account": {"FullyQualifiedName": "MyJobs", "domain": "QBO", "Name": "MyJobs", "Classification": "Asset",
          "AccountSubType": "AccountsReceivable", "CurrencyRef": {"name": "United States Dollar", "value": "USD"},
          "CurrentBalanceWithSubAccounts": 0, "sparse": false,
          "MetaData": {"CreateTime": "2014-12-31T09:29:05-08:00", "LastUpdatedTime": "2014-12-31T09:29:05-08:00"},
          "AccountType": "Accounts Receivable", "CurrentBalance": 0, "Active": true, "SyncToken": "0", "Id": "94", "SubAccount": false},
         "time": "2014-12-31T09:29:05.717-08:00"}
        """;

    /// <summary>all-entities/bill, "Read a bill".</summary>
    public const string Bill = """
        {"Bill": {"SyncToken": "2", "domain": "QBO", "APAccountRef": {"name": "Accounts Payable (A/P)", "value": "33"},
          "VendorRef": {"name": "Norton Lumber and Building Materials", "value": "46"}, "TxnDate": "2014-11-06", "TotalAmt": 103.55,
          "CurrencyRef": {"name": "United States Dollar", "value": "USD"}, "LinkedTxn": [{"TxnId": "118", "TxnType": "BillPaymentCheck"}],
          "SalesTermRef": {"value": "3"}, "DueDate": "2014-12-06", "sparse": false,
          "Line": [{"DetailType": "AccountBasedExpenseLineDetail", "Amount": 103.55, "Id": "1",
            "AccountBasedExpenseLineDetail": {"TaxCodeRef": {"value": "TAX"}, "AccountRef": {"name": "Job Expenses:Job Materials:Decks and Patios", "value": "64"},
              "BillableStatus": "Billable", "CustomerRef": {"name": "Travis Waldron", "value": "26"}},
            "Description": "Lumber"}],
          "Balance": 0, "Id": "25", "MetaData": {"CreateTime": "2014-11-06T15:37:25-08:00", "LastUpdatedTime": "2015-02-09T10:11:11-08:00"}},
         "time": "2015-02-09T10:17:20.251-08:00"}
        """;

    /// <summary>all-entities/companyinfo, "Read company info" (NameValue trimmed to its first entry).</summary>
    public const string CompanyInfo = """
        {"CompanyInfo": {"SyncToken": "4", "domain": "QBO",
          "LegalAddr": {"City": "Mountain View", "Country": "US", "Line1": "2500 Garcia Ave", "PostalCode": "94043", "CountrySubDivisionCode": "CA", "Id": "1"},
          "SupportedLanguages": "en", "CompanyName": "Larry's Bakery", "Country": "US",
          "CompanyAddr": {"City": "Mountain View", "Country": "US", "Line1": "2500 Garcia Ave", "PostalCode": "94043", "CountrySubDivisionCode": "CA", "Id": "1"},
          "sparse": false, "Id": "1", "WebAddr": {}, "FiscalYearStartMonth": "January",
          "CustomerCommunicationAddr": {"City": "Mountain View", "Country": "US", "Line1": "2500 Garcia Ave", "PostalCode": "94043", "CountrySubDivisionCode": "CA", "Id": "1"},
          "PrimaryPhone": {"FreeFormNumber": "(650)944-4444"}, "LegalName": "Larry's Bakery", "CompanyStartDate": "2015-06-05",
          "Email": {"Address": "donotreply@intuit.com"}, "NameValue": [{"Name": "NeoEnabled", "Value": "true"}],
          "MetaData": {"CreateTime": "2015-06-05T13:55:54-07:00", "LastUpdatedTime": "2015-07-06T08:51:50-07:00"}},
         "time": "2015-07-10T09:38:58.155-07:00"}
        """;

    /// <summary>all-entities/customer, "Read a customer".</summary>
    public const string Customer = """
        {"Customer": {"PrimaryEmailAddr": {"Address": "Surf@Intuit.com"}, "SyncToken": "0", "domain": "QBO", "GivenName": "Bill",
          "DisplayName": "Bill's Windsurf Shop", "BillWithParent": false, "FullyQualifiedName": "Bill's Windsurf Shop",
          "CompanyName": "Bill's Windsurf Shop", "FamilyName": "Lucchini", "sparse": false, "PrimaryPhone": {"FreeFormNumber": "(415) 444-6538"},
          "Active": true, "Job": false, "BalanceWithJobs": 85.0,
          "BillAddr": {"City": "Half Moon Bay", "Line1": "12 Ocean Dr.", "PostalCode": "94213", "Lat": "37.4307072", "Long": "-122.4295234", "CountrySubDivisionCode": "CA", "Id": "3"},
          "PreferredDeliveryMethod": "Print", "Taxable": false, "PrintOnCheckName": "Bill's Windsurf Shop", "Balance": 85.0, "Id": "2",
          "MetaData": {"CreateTime": "2014-09-11T16:49:28-07:00", "LastUpdatedTime": "2014-09-18T12:56:01-07:00"}},
         "time": "2015-07-23T11:04:15.496-07:00"}
        """;

    /// <summary>all-entities/invoice, "Read an invoice" (its third line and CustomField trimmed).</summary>
    public const string Invoice = """
        {"Invoice": {"TxnDate": "2014-09-19", "domain": "QBO", "PrintStatus": "NeedToPrint", "SalesTermRef": {"value": "3"}, "TotalAmt": 362.07,
          "Line": [
            {"Description": "Rock Fountain", "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"TaxCodeRef": {"value": "TAX"}, "Qty": 1, "UnitPrice": 275, "ItemRef": {"name": "Rock Fountain", "value": "5"}},
             "LineNum": 1, "Amount": 275.0, "Id": "1"},
            {"Description": "Fountain Pump", "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"TaxCodeRef": {"value": "TAX"}, "Qty": 1, "UnitPrice": 12.75, "ItemRef": {"name": "Pump", "value": "11"}},
             "LineNum": 2, "Amount": 12.75, "Id": "2"},
            {"DetailType": "SubTotalLineDetail", "Amount": 335.25, "SubTotalLineDetail": {}}],
          "DueDate": "2014-10-19", "ApplyTaxAfterDiscount": false, "DocNumber": "1037", "sparse": false,
          "CustomerMemo": {"value": "Thank you for your business and have a great day!"}, "Deposit": 0, "Balance": 362.07,
          "CustomerRef": {"name": "Sonnenschein Family Store", "value": "24"},
          "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}, "TotalTax": 26.82,
            "TaxLine": [{"DetailType": "TaxLineDetail", "Amount": 26.82, "TaxLineDetail": {"NetAmountTaxable": 335.25, "TaxPercent": 8, "TaxRateRef": {"value": "3"}, "PercentBased": true}}]},
          "SyncToken": "0", "LinkedTxn": [{"TxnId": "100", "TxnType": "Estimate"}], "BillEmail": {"Address": "Familiystore@intuit.com"},
          "ShipAddr": {"City": "Middlefield", "Line1": "5647 Cypress Hill Ave.", "PostalCode": "94303", "Lat": "37.4238562", "Long": "-122.1141681", "CountrySubDivisionCode": "CA", "Id": "25"},
          "EmailStatus": "NotSet",
          "BillAddr": {"Line4": "Middlefield, CA  94303", "Line3": "5647 Cypress Hill Ave.", "Line2": "Sonnenschein Family Store", "Line1": "Russ Sonnenschein", "Long": "-122.1141681", "Lat": "37.4238562", "Id": "95"},
          "MetaData": {"CreateTime": "2014-09-19T13:16:17-07:00", "LastUpdatedTime": "2014-09-19T13:16:17-07:00"}, "Id": "130"},
         "time": "2015-07-24T10:48:27.082-07:00"}
        """;

    /// <summary>all-entities/payment, "Read a payment" (LineEx trimmed).</summary>
    public const string Payment = """
        {"Payment": {"SyncToken": "0", "domain": "QBO", "DepositToAccountRef": {"value": "4"}, "UnappliedAmt": 10.0, "TxnDate": "2015-01-16",
          "TotalAmt": 65.0, "ProcessPayment": false, "sparse": false,
          "Line": [{"Amount": 55.0, "LinkedTxn": [{"TxnId": "70", "TxnType": "Invoice"}]}],
          "CustomerRef": {"name": "Red Rock Diner", "value": "20"}, "Id": "163",
          "MetaData": {"CreateTime": "2015-01-16T15:08:12-08:00", "LastUpdatedTime": "2015-01-16T15:08:12-08:00"}},
         "time": "2015-07-28T15:16:15.435-07:00"}
        """;

    /// <summary>all-entities/vendor, "Read a vendor".</summary>
    public const string Vendor = """
        {"Vendor": {"PrimaryEmailAddr": {"Address": "Books@Intuit.com"}, "Vendor1099": false, "domain": "QBO", "GivenName": "Bessie",
          "DisplayName": "Books by Bessie",
          "BillAddr": {"City": "Palo Alto", "Line1": "15 Main St.", "PostalCode": "94303", "Lat": "37.445013", "Long": "-122.1391443", "CountrySubDivisionCode": "CA", "Id": "31"},
          "SyncToken": "0", "PrintOnCheckName": "Books by Bessie", "FamilyName": "Williams", "PrimaryPhone": {"FreeFormNumber": "(650) 555-7745"},
          "AcctNum": "1345", "CompanyName": "Books by Bessie", "WebAddr": {"URI": "http://www.booksbybessie.co"}, "sparse": false, "Active": true,
          "Balance": 0, "Id": "30", "MetaData": {"CreateTime": "2014-09-12T10:07:56-07:00", "LastUpdatedTime": "2014-09-17T11:13:46-07:00"}},
         "time": "2015-07-28T13:33:09.453-07:00"}
        """;

    /// <summary>
    /// A query's answer (develop/explore-the-quickbooks-online-api/data-queries: <c>QueryResponse</c> holding the
    /// entity's array, <c>startPosition</c> and <c>maxResults</c>, next to <c>time</c>); the entity is the sample above.
    /// </summary>
    public const string QueryResponseKeys = "QueryResponse,time";

    /// <summary>
    /// Change Data Capture (all-entities/changedatacapture): <c>CDCResponse[].QueryResponse[]</c>, one block per entity
    /// asked for; a deleted entity is only its Id, <c>status: "Deleted"</c>, <c>domain</c> and <c>MetaData.LastUpdatedTime</c>.
    /// The shape as documented there; the values are made up.
    /// </summary>
    public const string ChangeDataCapture = """
        {"CDCResponse": [{"QueryResponse": [{"Invoice": [
            {"domain": "QBO", "status": "Deleted", "Id": "136", "MetaData": {"LastUpdatedTime": "2015-12-23T12:55:50-08:00"}}],
          "startPosition": 1, "maxResults": 1, "totalCount": 1}]}],
         "time": "2015-12-23T12:56:01.120-08:00"}
        """;

    /// <summary>
    /// The fault every error answer carries (develop/troubleshooting/error-codes: <c>Fault.Error[]</c> with
    /// <c>Message</c>, <c>Detail</c> and <c>code</c>, and <c>Fault.type</c>); here a query Intuit cannot parse.
    /// </summary>
    public const string ValidationFault = """
        {"Fault": {"Error": [{"Message": "Error parsing query", "Detail": "QueryParserError: Encountered \" <INTEGER> \"1 \"\" at line 1, column 36.", "code": "4000"}],
          "type": "ValidationFault"},
         "time": "2017-03-14T11:07:31.412-07:00"}
        """;

    /// <summary>The token endpoint's answer (develop/authentication-and-authorization/oauth-2.0, step 5: "Exchange authorization code for refresh and access tokens").</summary>
    public const string TokenResponse = """
        {"token_type": "bearer", "expires_in": 3600, "refresh_token": "Q311488394272qbajGfLBwGmVsbF6VoNpUKaIO5oL49aXLVJUB",
         "x_refresh_token_expires_in": 15551893, "access_token": "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..KM6IRLaOlH5xvBDSLHm_aQ"}
        """;
}
