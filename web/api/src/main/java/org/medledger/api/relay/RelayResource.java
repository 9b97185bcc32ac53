package org.medledger.api.relay;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.medledger.api.JsonRequests;
import org.medledger.platform.DomainException;
import org.medledger.relay.Mailbox;

/**
 * The consultation relay between a patient and a doctor: opaque sealed protocol messages
 * ({@code ConsultationRequest}, {@code ConsultationResponse}, {@code SignalDelivery},
 * {@code DiagnosisDelivery}) dropped into the recipient's mailbox and taken out once.
 */
@Path("relay")
public class RelayResource {

    @EJB
    Mailbox mailbox;

    @POST
    @Path("messages")
    @RolesAllowed({"patient", "doctor"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a sealed consultation message", description = "The hospital relays opaque sealed messages between patient and doctor; it can neither read nor forge them. Roles patient, doctor.")
    public Response send(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("recipientId", "kind", "body"));
        String id = mailbox.send(security.getUserPrincipal().getName(), JsonRequests.string(o, "recipientId"),
                JsonRequests.string(o, "kind"), JsonRequests.base64(o, "body"));
        return Response.status(201).entity(Json.createObjectBuilder().add("id", id).build().toString())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("inbox/take")
    @RolesAllowed({"patient", "doctor"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take the caller's relayed messages", description = "Removes and returns the sealed messages addressed to the caller. Roles patient, doctor.")
    public Response take(String body, @Context SecurityContext security) throws DomainException {
        JsonObject o = JsonRequests.object(body, Set.of("senderId", "kind"));
        Optional<byte[]> m = mailbox.take(security.getUserPrincipal().getName(), JsonRequests.string(o, "senderId"),
                JsonRequests.string(o, "kind"));
        if (m.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NO_MESSAGE", "no message of this kind from this sender");
        }
        return Response.ok(Json.createObjectBuilder().add("body", Base64.getEncoder().encodeToString(m.get())).build().toString(),
                MediaType.APPLICATION_JSON_TYPE).build();
    }
}
