using System.Text;
using System.Text.Json.Nodes;
using Bridge.Worker.Triggers;

namespace Bridge.Worker.Credentials;

/// <summary>The run's <c>job_variables</c> with the route's credentials (null = none to deliver), or why the provider refused them.</summary>
internal sealed record ExchangedCredentials(JsonObject? JobVariables, Rejection? Refused)
{
    public static ExchangedCredentials None { get; } = new(null, null);

    /// <summary>Never prints the credentials.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("JobVariables = ").Append(JobVariables is null ? "null" : "***").Append(", Refused = ").Append(Refused);
        return true;
    }
}
