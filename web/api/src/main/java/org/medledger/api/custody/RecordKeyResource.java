package org.medledger.api.custody;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.medledger.custody.HospitalRecordKeys;
import org.medledger.platform.DomainException;

/**
 * A hospital's record-wrapping keys (issue 15), one for its records at rest of every scheme
 * (EMR-AUTH, INTER-HOSPITAL, CLOUD-CHAIN, ABE-CHAIN): list them with their state and record
 * counts, rotate, re-wrap the stored records in batches, retire a rotated-out key. Only the
 * hospital-admin who registered the hospital acts for it ({@code NOT_HOSPITAL_ADMIN} otherwise).
 */
@Path("custody/hospitals/{hospitalId}/record-keys")
@Produces(MediaType.APPLICATION_JSON)
public class RecordKeyResource {

    @Inject
    HospitalRecordKeys keys;

    @GET
    @RolesAllowed({"hospital-admin", "auditor"})
    @Operation(summary = "A hospital's record keys", description = "Key ids, states (current, previous, retired) and how many records each wraps; no key material.")
    public Response list(@PathParam("hospitalId") String hospitalId) throws DomainException {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (HospitalRecordKeys.Key k : keys.keys(hospitalId)) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("keyId", k.keyId()).add("state", k.state())
                    .add("records", k.records()).add("createdAt", k.createdAt()).add("createdBy", k.createdBy());
            if (k.logIndex() != null) {
                o.add("logIndex", k.logIndex());
            }
            if (k.retiredAt() != null) {
                o.add("retiredAt", k.retiredAt());
            }
            out.add(o);
        }
        return Response.ok(Json.createObjectBuilder().add("hospitalId", hospitalId).add("keys", out).build().toString()).build();
    }

    @POST
    @Path("rotation")
    @RolesAllowed("hospital-admin")
    @Operation(summary = "Rotate the record key", description = "A new key id wraps every record stored from now on; records under the old key stay readable until re-wrapped. A ledger entry signed by the hospital.")
    public Response rotate(@PathParam("hospitalId") String hospitalId) throws DomainException {
        HospitalRecordKeys.Rotated r = keys.rotate(hospitalId);
        return Response.status(Response.Status.CREATED).entity(Json.createObjectBuilder().add("previousKeyId", r.previousKeyId())
                .add("keyId", r.keyId()).add("logIndex", r.logIndex()).add("toRewrap", r.toRewrap()).build().toString()).build();
    }

    @POST
    @Path("rewrap")
    @RolesAllowed("hospital-admin")
    @Operation(summary = "Re-wrap a batch of records", description = "Re-wraps up to `batch` records under the current key (one transaction); call again until `remaining` is 0.")
    public Response rewrap(@PathParam("hospitalId") String hospitalId, @QueryParam("batch") @DefaultValue("100") int batch)
            throws DomainException {
        long[] r = keys.rewrap(hospitalId, batch);
        return Response.ok(Json.createObjectBuilder().add("rewrapped", r[0]).add("remaining", r[1]).build().toString()).build();
    }

    @POST
    @Path("{keyId}/retirement")
    @RolesAllowed("hospital-admin")
    @Operation(summary = "Retire a rotated-out record key", description = "Refused while any record is still wrapped under it; afterwards it is gone from the key store.")
    public Response retire(@PathParam("hospitalId") String hospitalId, @PathParam("keyId") String keyId) throws DomainException {
        keys.retire(hospitalId, keyId);
        return Response.noContent().build();
    }
}
