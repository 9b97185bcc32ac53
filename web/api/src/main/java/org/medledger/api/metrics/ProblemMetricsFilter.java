package org.medledger.api.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import org.medledger.api.problem.Problem;

/** Counts every problem+json answer of the JAX-RS resources by its reason code ({@link ServerMetrics#problem}). */
@Provider
public class ProblemMetricsFilter implements ContainerResponseFilter {

    private static final Pattern CODE = Pattern.compile("\"code\":\"([A-Z0-9_]{1,64})\"");

    @Inject
    ServerMetrics metrics;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400 || response.getMediaType() == null
                || !Problem.PROBLEM_JSON.isCompatible(response.getMediaType())
                || !(response.getEntity() instanceof String body)) {
            return;
        }
        Matcher m = CODE.matcher(body);
        metrics.problem(response.getStatus(), m.find() ? m.group(1) : "UNKNOWN");
    }
}
