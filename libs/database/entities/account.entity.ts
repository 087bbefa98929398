import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A brand's account (site). Overrides are null when the configured default applies. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ name: 'site_id', type: 'varchar', length: 20 })
  siteId!: string;

  @Column({ name: 'monthly_quota', type: 'integer', nullable: true })
  monthlyQuota!: number | null;

  @Column({ name: 'cancellation_window_seconds', type: 'integer', nullable: true })
  cancellationWindowSeconds!: number | null;

  @Column({ name: 'legacy_ticketing', type: 'boolean', default: false })
  legacyTicketing!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
