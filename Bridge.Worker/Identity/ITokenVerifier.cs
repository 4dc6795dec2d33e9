namespace Bridge.Worker.Identity;

/// <summary>The trust boundary for pipeline steps: is this a genuine, current Bitbucket Pipelines token of the step it claims?</summary>
internal interface ITokenVerifier
{
    /// <param name="sentAt">When the message was published (the ingress: now); decides whether an expired token expired in the queue.</param>
    Task<TokenVerdict> VerifyAsync(string token, ExpectedIdentity expected, DateTimeOffset sentAt, CancellationToken cancellationToken);
}
