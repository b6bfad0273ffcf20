namespace Consentry.Connectors.Platforms.Shopify;

/// <summary>
/// The GraphQL Admin API queries the connector sends, one per Codat data type, with the largest page that keeps each
/// query under Shopify's 1,000-point single query limit (a connection costs 2 + first × its node's cost). Lists are read by
/// id (the default sort), so a record changed during a read does not move between pages; <c>$query</c> carries
/// <c>updated_at:&gt;'…'</c> for incremental reads.
/// </summary>
public static class ShopifyQueries
{
    public const string Shop = """
        query Shop {
          shop {
            id name email contactEmail myshopifyDomain currencyCode ianaTimezone createdAt updatedAt
            primaryDomain { url host }
            billingAddress { address1 address2 city province country countryCodeV2 zip phone }
          }
        }
        """;

    public const string AppUninstall = """
        mutation AppUninstall {
          appUninstall {
            app { id }
            userErrors { field message }
          }
        }
        """;

    private const string Page = "pageInfo { hasNextPage endCursor }";
    private const string Address = "address1 address2 city province country countryCodeV2 zip";
    private const string ShopMoney = "shopMoney { amount currencyCode }";

    /// <summary>The query and the largest page size for each list data type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Query, int MaxPage)> Lists = new Dictionary<string, (string, int)>(StringComparer.Ordinal)
    {
        [ShopifyMapping.Customers] = ($$"""
            query Customers($first: Int!, $after: String, $query: String) {
              customers(first: $first, after: $after, query: $query) {
                {{Page}}
                nodes {
                  id displayName firstName lastName email phone note state createdAt updatedAt
                  addresses { {{Address}} }
                }
              }
            }
            """, 200),
        [ShopifyMapping.Products] = ($$"""
            query Products($first: Int!, $after: String, $query: String) {
              products(first: $first, after: $after, query: $query) {
                {{Page}}
                nodes {
                  id title description productType vendor status isGiftCard createdAt updatedAt
                  variants(first: 100) { nodes { id title sku barcode price inventoryQuantity taxable createdAt updatedAt } }
                }
              }
            }
            """, 9),
        [ShopifyMapping.Orders] = ($$"""
            query Orders($first: Int!, $after: String, $query: String) {
              orders(first: $first, after: $after, query: $query) {
                {{Page}}
                nodes {
                  id name createdAt updatedAt processedAt closedAt cancelledAt currencyCode displayFinancialStatus
                  customer { id displayName }
                  billingAddress { countryCodeV2 }
                  subtotalPriceSet { {{ShopMoney}} } totalPriceSet { {{ShopMoney}} } totalTaxSet { {{ShopMoney}} }
                  totalDiscountsSet { {{ShopMoney}} } totalRefundedSet { {{ShopMoney}} } totalTipReceivedSet { {{ShopMoney}} }
                  lineItems(first: 10) {
                    nodes {
                      id name sku quantity
                      originalUnitPriceSet { {{ShopMoney}} } discountedTotalSet { {{ShopMoney}} }
                      taxLines { ratePercentage priceSet { {{ShopMoney}} } }
                      product { id } variant { id }
                    }
                  }
                  refunds { id createdAt totalRefundedSet { {{ShopMoney}} } refundLineItems(first: 10) { nodes { quantity lineItem { id } subtotalSet { {{ShopMoney}} } } } }
                  transactions { id kind status gateway createdAt processedAt amountSet { {{ShopMoney}} } }
                }
              }
            }
            """, 5),
        [ShopifyMapping.Payments] = ($$"""
            query Payments($first: Int!, $after: String, $query: String) {
              orders(first: $first, after: $after, query: $query) {
                {{Page}}
                nodes {
                  id updatedAt currencyCode
                  transactions { id kind status gateway createdAt processedAt amountSet { {{ShopMoney}} } }
                }
              }
            }
            """, 100),
    };
}
