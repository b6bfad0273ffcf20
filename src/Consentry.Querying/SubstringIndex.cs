using System.Linq.Expressions;

namespace Consentry.Querying;

/// <summary>
/// Lets a database index narrow a <c>~</c> (case-insensitive substring) condition on a property of the queried
/// entity itself. Given the registered property name and the raw term, it returns a condition that holds for
/// <em>at least</em> every entity the plain <c>~</c> condition holds for (a superset: an index may match more,
/// e.g. wildcards or a wider case folding), or null when it cannot help (property not indexed, term too short).
/// The translator keeps the plain condition beside it, so the results are exactly those of the plain scan.
/// </summary>
public delegate Expression<Func<T, bool>>? SubstringIndex<T>(string property, string term);
