using System.Text;
using Bridge.Worker.Identity;

namespace Bridge.Worker.Triggers;

/// <summary>
/// A pipeline step published the trigger with its OIDC token. Only this origin can be exchanged for cloud credentials
/// or cancel superseded runs. <see cref="Identity"/> is set once admission verified the token.
/// </summary>
internal sealed record PipelineStepOrigin(string PipelineUuid, string StepUuid, long BuildNumber, string StepToken) : TriggerOrigin
{
    /// <summary>What the verified token proves; null until admission verified it.</summary>
    public VerifiedIdentity? Identity { get; init; }

    /// <summary>Never prints the token.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("PipelineUuid = ").Append(PipelineUuid)
            .Append(", StepUuid = ").Append(StepUuid)
            .Append(", BuildNumber = ").Append(BuildNumber)
            .Append(", StepToken = ***");
        return true;
    }
}
