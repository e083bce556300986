import { Migration } from '@mikro-orm/migrations';

/**
 * `events.register_for_event`: a registration in one statement. It locks the event row, decides with the rules of
 * `domain/registration-rules.ts` (assertCanRegister, placeFor) and writes the registration, the counters and the outbox
 * row; run outside an explicit transaction, the lock is held only while PostgreSQL runs it and commits, never across
 * a round trip to the web process. The TypeScript rules stay the specification:
 * `test/integration/events/registration-statement.int-spec.ts` checks that both decide alike.
 */
export class Migration20261205130000_register_for_event_function extends Migration {

  override name = 'Migration20261205130000_register_for_event_function';

  override up(): void | Promise<void> {
    this.addSql(`
create or replace function events.register_for_event(
  p_event_id uuid,
  p_member_id uuid,
  p_companions integer,      -- null stands for a count that is not a whole number >= 0
  p_sees_drafts boolean,     -- operators and admins see every event (canSeeEvent)
  p_visible text[],          -- the visibilities the viewer sees (visibleEventLevels)
  p_registration_id uuid,    -- the id of the registration when it is the member's first one for this event
  p_outbox_id uuid,
  p_outbox_queue text,
  p_outbox_job_id text,
  p_outbox_payload jsonb,    -- the integration event; its type and registrationId are set here
  p_confirmed_name text,     -- events.registration-confirmed
  p_waitlisted_name text     -- events.registration-waitlisted
) returns jsonb
language plpgsql volatile
as $fn$
declare
  e events.event%rowtype;
  v_now timestamptz;
  v_registration uuid;
  v_existing text;
  v_seats integer := 1 + coalesce(p_companions, 0);
  v_state text;
  v_seq bigint;
  v_waiting integer;
  v_name text;
begin
  -- Every registration for this event waits here for the one before it.
  select * into e from events.event where id = p_event_id for update;
  -- An event one may not see answers as if it did not exist (canSeeEvent).
  if not found or not (p_sees_drafts or (e.state <> 'draft' and e.visibility = any(p_visible))) then
    return jsonb_build_object('outcome', 'not-found');
  end if;
  -- The time under the lock: registration times follow the order of arrival.
  v_now := clock_timestamp();

  -- assertCanRegister, rule by rule and in its order.
  if e.state <> 'published' then
    return jsonb_build_object('outcome', case when e.state = 'cancelled' then 'cancelled' else 'not-open' end);
  end if;
  select r.id, r.state into v_registration, v_existing
    from events.registration r where r.event_id = p_event_id and r.member_id = p_member_id;
  if v_existing in ('confirmed', 'waitlisted') then
    return jsonb_build_object('outcome', 'already-' || v_existing);
  end if;
  if v_now >= coalesce(e.deadline_at, e.starts_at) then
    return jsonb_build_object('outcome', 'closed');
  end if;
  if p_companions is null or p_companions < 0 or p_companions > e.max_companions then
    return jsonb_build_object('outcome', 'too-many-companions', 'maxCompanions', e.max_companions);
  end if;
  if e.capacity is not null and v_seats > e.capacity then
    return jsonb_build_object('outcome', 'party-too-large', 'capacity', e.capacity);
  end if;

  -- placeFor: confirmed when the whole party fits and nobody is waiting, otherwise the end of the waitlist.
  v_state := case when e.waitlist_count = 0 and (e.capacity is null or v_seats <= greatest(0, e.capacity - e.confirmed_seats))
                  then 'confirmed' else 'waitlisted' end;
  v_seq := nextval('events.registration_seq');

  if v_registration is null then
    v_registration := p_registration_id;
    insert into events.registration (id, event_id, member_id, state, companions, seq, registered_at, confirmed_at)
    values (v_registration, p_event_id, p_member_id, v_state, p_companions, v_seq, v_now, case when v_state = 'confirmed' then v_now end);
  else
    -- Registering again after cancelling (Registration.renew): the same row, a new place in the order of arrival.
    update events.registration
       set state = v_state, companions = p_companions, seq = v_seq, registered_at = v_now,
           confirmed_at = case when v_state = 'confirmed' then v_now end,
           promoted_at = null, cancelled_at = null, checked_in_at = null, checked_in_by = null
     where id = v_registration;
  end if;

  -- Event.countJoined
  update events.event
     set confirmed_seats = confirmed_seats + case when v_state = 'confirmed' then v_seats else 0 end,
         waitlist_count = waitlist_count + case when v_state = 'waitlisted' then 1 else 0 end,
         updated_at = v_now
   where id = p_event_id
  returning waitlist_count into v_waiting;

  -- Outbox.publish, in the same transaction.
  v_name := case when v_state = 'confirmed' then p_confirmed_name else p_waitlisted_name end;
  insert into platform.outbox (id, queue, name, payload, job_id, created_at)
  values (p_outbox_id, p_outbox_queue, v_name, p_outbox_payload || jsonb_build_object('type', v_name, 'registrationId', v_registration), p_outbox_job_id, v_now);

  -- Everyone waiting arrived before this registration, so its place is the number waiting.
  return jsonb_build_object('outcome', v_state, 'registrationId', v_registration,
                            'position', case when v_state = 'waitlisted' then v_waiting end);
end
$fn$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists events.register_for_event(uuid, uuid, integer, boolean, text[], uuid, uuid, text, text, jsonb, text, text);`);
  }

}
